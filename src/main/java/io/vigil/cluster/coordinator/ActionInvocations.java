package io.vigil.cluster.coordinator;

import io.vigil.exec.ConfiguredInvocation;
import io.vigil.exec.Invocation;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import java.io.IOException;
import java.time.Duration;

/** Turns a planned action into the executor's invocation ({@link ConfiguredInvocation}) and judges its rc. */
final class ActionInvocations {
  private ActionInvocations() {}

  static Invocation of(ClusterConfig config, PlannedAction a) throws IOException {
    String base = StatusView.baseId(a.resource());
    Resource r = config.resource(base).orElseThrow(() -> new IllegalArgumentException(
        "resource '" + base + "' is not in the configuration being executed"));
    if (!(r instanceof Primitive p)) throw new IllegalArgumentException("'" + base + "' is not a primitive");
    return ConfiguredInvocation.of(config, p, a.resource(), a.agentAction(), Duration.ofMillis(a.intervalMs()));
  }

  /** Whether rc is what the action is expected to return (probes may find it stopped or promoted). */
  static boolean succeeded(PlannedAction a, int rc) {
    return switch (a.kind()) {
      case "PROBE" -> rc == 0 || rc == 7 || rc == 8;
      case "MONITOR" -> rc == 0 || rc == 8;
      default -> rc == 0;
    };
  }

  /**
   * Whether the plan may go on after this result. A probe runs where the resource's state is
   * unknown and the plan took it as stopped: finding it active (or failed) is an unexpected result
   * that ends the action as FAILED, as Pacemaker aborts a transition on one, so nothing that waited
   * for the probe (a start elsewhere) runs and the leader plans again with what the probe found.
   * The operation itself is recorded by {@link #succeeded}: a resource found running is no failure.
   */
  static boolean asPlanned(PlannedAction a, int rc) {
    return a.kind().equals("PROBE") ? rc == 7 : succeeded(a, rc);
  }
}
