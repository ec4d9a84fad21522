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

  /**
   * Whether rc is what the action is expected to return: a probe may find the resource stopped,
   * started or promoted; a recurring monitor of the Promoted role expects 8 (running promoted),
   * any other monitor 0; everything else 0.
   */
  static boolean succeeded(ClusterConfig config, PlannedAction a, int rc) {
    return switch (a.kind()) {
      case "PROBE" -> rc == 0 || rc == 7 || rc == 8;
      case "MONITOR" -> rc == monitorRc(config, a.resource(), a.intervalMs());
      default -> rc == 0;
    };
  }

  /** What a recurring monitor of {@code instance} with this interval returns when all is well. */
  static int monitorRc(ClusterConfig config, String instance, long intervalMs) {
    boolean promoted = config.resource(StatusView.baseId(instance))
        .filter(r -> r instanceof Primitive)
        .map(r -> ((Primitive) r).operations().stream().anyMatch(op -> op.name().equals("monitor")
            && op.interval().toMillis() == intervalMs && op.role().filter(x -> x == io.vigil.model.Role.PROMOTED).isPresent()))
        .orElse(false);
    return promoted ? 8 : 0;
  }

  /**
   * Whether the plan may go on after this result. A probe runs where the resource's state is
   * unknown and the plan took it as stopped: finding it active (or failed) is an unexpected result
   * that ends the action as FAILED, as Pacemaker aborts a transition on one, so nothing that waited
   * for the probe (a start elsewhere) runs and the leader plans again with what the probe found.
   * The operation itself is recorded by {@link #succeeded}: a resource found running is no failure.
   */
  static boolean asPlanned(ClusterConfig config, PlannedAction a, int rc) {
    return a.kind().equals("PROBE") ? rc == 7 : succeeded(config, a, rc);
  }
}
