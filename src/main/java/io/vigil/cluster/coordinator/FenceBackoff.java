package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.NodeStatus;
import io.vigil.fencing.policy.PolicySettings;
import io.vigil.model.ClusterProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When automatic fencing of a node may be tried again after failures: the last failure plus a
 * backoff of {@code fencing-retry-initial} doubling per consecutive failure up to
 * {@code fencing-retry-max} ({@link PolicySettings#backoff}), and never again once
 * {@code fencing-max-attempts} attempts failed (Pacemaker's stonith-max-attempts). Read from the
 * node's replicated status and the configuration's properties, so a new leader waits out the same
 * backoff and a changed property counts at the next plan; meanwhile, and after giving up, the
 * node's resources stay blocked (what waits for the fencing does not run). An operator's fencing
 * or confirmation, or the node being heard again, clears the count.
 */
public final class FenceBackoff {
  private FenceBackoff() {}

  /**
   * The time the next attempt to fence {@code target} may start, if failures make it wait at all;
   * empty too once the cluster gave up on it ({@link #gaveUp}).
   */
  public static Optional<Instant> retryAt(ClusterState state, ClusterProperties properties, String target) {
    NodeStatus ns = state.status().nodes().get(target);
    if (ns == null || ns.fenceFailures() == 0 || gaveUp(state, properties, target)) return Optional.empty();
    Duration wait = PolicySettings.from(properties).backoff(ns.fenceFailures());
    return Optional.of(Instant.ofEpochMilli(ns.fenceFailedAt()).plus(wait));
  }

  /** Whether {@code fencing-max-attempts} automatic attempts to fence {@code target} failed: no more are made. */
  public static boolean gaveUp(ClusterState state, ClusterProperties properties, String target) {
    NodeStatus ns = state.status().nodes().get(target);
    return ns != null && ns.fenceFailures() >= properties.getOrDefault(ClusterProperties.FENCING_MAX_ATTEMPTS);
  }

  /** Whether fencing {@code target} must still wait at {@code now} (for ever, once the cluster gave up). */
  public static boolean waiting(ClusterState state, ClusterProperties properties, String target, Instant now) {
    return gaveUp(state, properties, target) || retryAt(state, properties, target).map(now::isBefore).orElse(false);
  }

  /** The status warning for a lost node whose automatic fencing failed: when it is tried again, or that it is not. */
  public static Optional<String> warning(ClusterState state, ClusterProperties properties, String node) {
    NodeStatus ns = state.status().nodes().get(node);
    if (ns == null || ns.state() != NodeState.LOST || ns.fenceFailures() == 0) return Optional.empty();
    String last = "last at " + Instant.ofEpochMilli(ns.fenceFailedAt()) + ": " + ns.attributes().getOrDefault(NodeStatus.FENCE_ERROR, "");
    if (gaveUp(state, properties, node)) {
      return Optional.of("fencing of " + node + " gave up after " + ns.fenceFailures() + " failed attempt(s) (fencing-max-attempts "
          + properties.getOrDefault(ClusterProperties.FENCING_MAX_ATTEMPTS) + "; " + last + "): what it ran stays blocked (not "
          + "recovered elsewhere) until you fence it (vigil fence " + node + ") or confirm it is down (vigil fence confirm "
          + node + " --yes), or it returns");
    }
    String next = retryAt(state, properties, node).map(Instant::toString).orElse("now");
    return Optional.of("fencing of " + node + " failed " + ns.fenceFailures() + " time(s) (" + last + "); next attempt at " + next
        + "; what it ran stays blocked until it is fenced, or you confirm it is down (vigil fence confirm " + node + " --yes)");
  }
}
