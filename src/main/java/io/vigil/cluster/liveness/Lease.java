package io.vigil.cluster.liveness;

import java.time.Duration;

/**
 * Lease arithmetic, so that a node cut off from quorum stops its resources before the survivors
 * may assume it did.
 *
 * <p>Design notes. A node measures its lease on its own monotonic clock from the moment it
 * <em>sent</em> the last message that a quorum acknowledged ({@code contactSentNanos}); the
 * survivors measure from the moment they last <em>received</em> anything from it, which in real
 * time is no earlier. Clock rates differ by at most {@code drift} (e.g. 0.01 = 1 %). So:
 * <ul>
 *   <li>the node's own lease ends at {@code sent + lease * (1 - drift)} local time; it must have
 *       stopped its resources {@code stopMargin} before that ({@link #mustStopBy}); the watchdog
 *       fires at {@link #ownExpiry} if it has not;</li>
 *   <li>a survivor may treat the node as down at {@code lastHeard + lease * (1 + drift) + safety}
 *       on its clock ({@link #peerExpiry}).</li>
 * </ul>
 * Then, in real time, own expiry {@code <=} sent + lease {@code <=} lastHeard + lease {@code <} peer expiry.
 */
public record Lease(Duration lease, double drift, Duration stopMargin, Duration safety) {
  public Lease {
    if (lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("lease " + lease + " must be positive");
    if (!(drift >= 0 && drift < 0.5)) throw new IllegalArgumentException("clock drift " + drift + " must be in [0, 0.5)");
    if (stopMargin.isNegative() || stopMargin.compareTo(lease) >= 0) {
      throw new IllegalArgumentException("stop margin " + stopMargin + " must be in [0, lease " + lease + ")");
    }
    if (safety.isNegative()) throw new IllegalArgumentException("safety margin " + safety + " is negative");
  }

  /**
   * Defaults for a 1 s node timeout: 5 s lease, 1 % drift, stop 500 ms early, 200 ms extra on
   * survivors. A node notices the loss of quorum up to node-timeout plus an election (1.6 s) after
   * its last contact and must then stop real agents (ocf:heartbeat:anything alone waits a second
   * in its stop): 5 s leaves it about 2.8 s. Only clusters without fencing wait for the lease.
   */
  public static Lease defaults() {
    return new Lease(Duration.ofSeconds(5), 0.01, Duration.ofMillis(500), Duration.ofMillis(200));
  }

  /** Local monotonic time at which this node's own lease ends (the watchdog's deadline). */
  public long ownExpiry(long contactSentNanos) {
    return contactSentNanos + (long) (lease.toNanos() * (1.0 - drift));
  }

  /** Local monotonic time by which this node must have stopped its resources. */
  public long mustStopBy(long contactSentNanos) {
    return ownExpiry(contactSentNanos) - stopMargin.toNanos();
  }

  /** A survivor's monotonic time after which the silent peer's lease has provably expired. */
  public long peerExpiry(long lastHeardNanos) {
    return lastHeardNanos + (long) Math.ceil(lease.toNanos() * (1.0 + drift)) + safety.toNanos();
  }
}
