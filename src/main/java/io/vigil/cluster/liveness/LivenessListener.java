package io.vigil.cluster.liveness;

/**
 * Hooks the coordinator and fencing implement; the daemon calls them from one thread, in order.
 * Implementations must return quickly (they hand work to their own executors).
 */
public interface LivenessListener {
  /** The leader has not heard from {@code node} for node-timeout: mark it lost and fence it. */
  default void nodeLost(String node, long silentNanos) {}

  /** A lost node was heard from again (before or after being fenced). */
  default void nodeReturned(String node) {}

  /** This node reaches a quorum again. */
  default void quorumGained() {}

  /**
   * This node lost quorum: stop every resource so that all are stopped by {@code mustStopByNanos}
   * (monotonic); the watchdog fires at {@code ownExpiryNanos}.
   */
  default void quorumLost(long mustStopByNanos, long ownExpiryNanos) {}
}
