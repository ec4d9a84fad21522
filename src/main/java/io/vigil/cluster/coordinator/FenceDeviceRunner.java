package io.vigil.cluster.coordinator;

import io.vigil.exec.AgentRunner;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import io.vigil.exec.Invocation;
import io.vigil.model.ResourceClass;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fence devices ({@code stonith:} primitives) are placed like resources, as in Pacemaker, but they
 * are the fencer's, not resource agents: on the node that "runs" one, start and stop register and
 * unregister it, a monitor or probe answers 0 while registered and 7 otherwise. Without this the
 * executor refuses them, a failed stop follows, and a failed stop fences the node (it did: the
 * leader fenced itself). Other agents go to the wrapped runner. Running the device's own monitor
 * action here is not done yet.
 */
final class FenceDeviceRunner implements AgentRunner {
  private static final int OCF_NOT_RUNNING = 7;
  private final AgentRunner agents;
  private final Clock clock;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  FenceDeviceRunner(AgentRunner agents, Clock clock) {
    this.agents = agents;
    this.clock = clock;
  }

  @Override
  public ExecResult run(Invocation inv) {
    if (inv.agent().resourceClass() != ResourceClass.STONITH) return agents.run(inv);
    int rc = switch (inv.action()) {
      case "start" -> {
        registered.add(inv.resourceId());
        yield 0;
      }
      case "stop" -> {
        registered.remove(inv.resourceId());
        yield 0;
      }
      case "monitor", "status" -> registered.contains(inv.resourceId()) ? 0 : OCF_NOT_RUNNING;
      default -> 3; // OCF_ERR_UNIMPLEMENTED: the fencer runs devices, not the executor
    };
    return new ExecResult(inv, rc, ExecStatus.DONE, clock.instant(), Duration.ZERO,
        "fence device " + inv.resourceId() + (registered.contains(inv.resourceId()) ? " registered" : " not registered")
            + " with the fencer on this node", false, "");
  }
}
