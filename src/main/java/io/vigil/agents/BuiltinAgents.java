package io.vigil.agents;

import io.vigil.agents.ip.IpBuiltinAgent;
import io.vigil.agents.providerip.ProviderIpBuiltinAgent;
import io.vigil.agents.volume.agent.VolumeBuiltinAgent;
import io.vigil.exec.BuiltinRegistry;
import java.nio.file.Path;

/** Every built-in resource type Vigil ships, registered with the executor. */
public final class BuiltinAgents {
  private BuiltinAgents() {}

  /** The executor's defaults plus ip, provider-ip and volume; {@code stateDir} holds their state files. */
  public static BuiltinRegistry all(Path stateDir) {
    return all(stateDir, null);
  }

  /** As {@link #all(Path)} on the cluster node {@code nodeName} (agents that need their node's name get it; null = unknown). */
  public static BuiltinRegistry all(Path stateDir, String nodeName) {
    return BuiltinRegistry.withDefaults(stateDir)
        // Each node's own state directory: daemons sharing a host (labs, tests) never share records.
        .register(new IpBuiltinAgent(stateDir.resolve("ip")))
        .register(new ProviderIpBuiltinAgent())
        .register(new VolumeBuiltinAgent(stateDir.resolve("volume"), nodeName));
  }
}
