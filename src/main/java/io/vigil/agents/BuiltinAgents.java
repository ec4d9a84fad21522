package io.vigil.agents;

import io.vigil.agents.balancer.agent.BalancerBuiltinAgent;
import io.vigil.agents.balancer.agent.RunningBalancers;
import io.vigil.agents.ip.IpBuiltinAgent;
import io.vigil.agents.providerip.ProviderIpBuiltinAgent;
import io.vigil.agents.volume.agent.VolumeBuiltinAgent;
import io.vigil.agents.volume.attach.NbdAttachAgent;
import io.vigil.exec.BuiltinRegistry;
import java.nio.file.Path;
import java.time.InstantSource;

/** Every built-in resource type Vigil ships, registered with the executor. */
public final class BuiltinAgents {
  private BuiltinAgents() {}

  /**
   * The executor's defaults plus ip, provider-ip, volume, nbd and balancer; {@code stateDir} holds their
   * state files. Balancers run in a registry of their own whose health events are only logged.
   */
  public static BuiltinRegistry all(Path stateDir) {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BuiltinAgents.class);
    return all(stateDir, new RunningBalancers((resource, e) -> log.info("balancer {}: {}", resource, e), InstantSource.system()), null);
  }

  /**
   * As {@link #all(Path)} on the cluster node {@code nodeName} (agents that need their node's name
   * get it; null = unknown), with the balancers running in {@code balancers} (vigild reads their
   * counters there).
   */
  public static BuiltinRegistry all(Path stateDir, RunningBalancers balancers, String nodeName) {
    return all(stateDir, balancers, nodeName, io.vigil.agents.volume.agent.NodeAttributes.NONE);
  }

  /** As {@link #all(Path, RunningBalancers, String)}, with the cluster's node attributes (the volume agent's promotion scores). */
  public static BuiltinRegistry all(Path stateDir, RunningBalancers balancers, String nodeName,
      io.vigil.agents.volume.agent.NodeAttributes attributes) {
    return BuiltinRegistry.withDefaults(stateDir)
        // Each node's own state directory: daemons sharing a host (labs, tests) never share records.
        .register(new IpBuiltinAgent(stateDir.resolve("ip")))
        .register(new ProviderIpBuiltinAgent())
        .register(new VolumeBuiltinAgent(stateDir.resolve("volume"), nodeName, attributes))
        .register(new NbdAttachAgent(stateDir.resolve("nbd"), stateDir.resolve("volume")))
        .register(new BalancerBuiltinAgent(balancers));
  }
}
