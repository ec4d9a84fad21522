package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.NodeStatus;
import io.vigil.fencing.policy.PolicySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When automatic fencing of a node may be tried again after failures: the last failure plus a
 * backoff of 5 s doubling per consecutive failure up to 5 min ({@link PolicySettings#backoff}).
 * Read from the node's replicated status, so a new leader waits out the same backoff; meanwhile
 * the node's resources stay blocked (what waits for the fencing does not run).
 */
public final class FenceBackoff {
  private FenceBackoff() {}

  /** The time the next attempt to fence {@code target} may start, if failures make it wait at all. */
  public static Optional<Instant> retryAt(ClusterState state, String target) {
    NodeStatus ns = state.status().nodes().get(target);
    if (ns == null || ns.fenceFailures() == 0) return Optional.empty();
    Duration wait = PolicySettings.DEFAULTS.backoff(ns.fenceFailures());
    return Optional.of(Instant.ofEpochMilli(ns.fenceFailedAt()).plus(wait));
  }

  /** Whether fencing {@code target} must still wait at {@code now}. */
  public static boolean waiting(ClusterState state, String target, Instant now) {
    return retryAt(state, target).map(now::isBefore).orElse(false);
  }
}
