package io.vigil.cluster.coordinator;

import io.vigil.exec.AgentRunner;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfRc;
import io.vigil.model.ResourceClass;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fence devices ({@code stonith:} primitives) are placed like resources, as under Pacemaker, but
 * they are not agents to start: the leader fences through the configured topology wherever the
 * device "runs". So on a node a device's start and stop only register it (in memory, like
 * Pacemaker's fencer), and its monitor says whether it is registered here. A restarted daemon
 * knows no device, so its probes find none running and the scheduler places them again.
 * Every other action goes to the real runner.
 */
public final class FenceDeviceResources implements AgentRunner {
  private final AgentRunner agents;
  private final InstantSource clock;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  public FenceDeviceResources(AgentRunner agents, InstantSource clock) {
    this.agents = agents;
    this.clock = clock;
  }

  @Override
  public ExecResult run(Invocation inv) {
    if (inv.agent().resourceClass() != ResourceClass.STONITH) return agents.run(inv);
    String id = inv.resourceId();
    int rc = switch (inv.action()) {
      case "start" -> {
        registered.add(id);
        yield OcfRc.SUCCESS;
      }
      case "stop" -> {
        registered.remove(id);
        yield OcfRc.SUCCESS;
      }
      case "monitor", "status" -> registered.contains(id) ? OcfRc.SUCCESS : OcfRc.NOT_RUNNING;
      default -> OcfRc.ERR_UNIMPLEMENTED;
    };
    String text = "fence device " + id + (registered.contains(id) ? " registered" : " not registered") + " on this node";
    return new ExecResult(inv, rc, ExecStatus.DONE, clock.instant(), Duration.ZERO, text, false, text);
  }
}
