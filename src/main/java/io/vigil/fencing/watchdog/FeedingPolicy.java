package io.vigil.fencing.watchdog;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the daemon feeds its watchdog, pure.
 *
 * <p>Design notes. The survivors trust a silent node's lease only after it has provably ended
 * ({@code Lease.peerExpiry}, later in real time than the node's own {@code Lease.ownExpiry}). The watchdog
 * acts one timeout after the last feed, so a feed at {@code now} is allowed only while
 * {@code now + timeout} is still inside this node's own lease: however the daemon stops (frozen, killed, hung),
 * the watchdog acts no later than its lease ends, hence strictly before the survivors take over. A quorate
 * node renews its lease all the time, so it is always fed; a node that loses quorum is fed until
 * {@code lease end - timeout} and the watchdog then fires at the lease end unless the daemon stopped every
 * resource and disarmed it first.
 */
public final class FeedingPolicy {
  private FeedingPolicy() {}

  /** What to do now and when to ask again. */
  public record Step(boolean feed, Instant next, String reason) {}

  /**
   * @param quorate whether the node has quorum now (only for the reason shown)
   * @param leaseValidUntil end of this node's own lease, if it holds one
   */
  public static Step step(boolean quorate, Optional<Instant> leaseValidUntil, Duration timeout, Instant now) {
    Duration interval = timeout.dividedBy(3);
    if (leaseValidUntil.isPresent() && now.plus(timeout).isBefore(leaseValidUntil.get())) {
      Instant lastFeed = leaseValidUntil.get().minus(timeout);
      Instant next = now.plus(interval);
      if (next.isAfter(lastFeed)) next = lastFeed;
      return new Step(true, next, quorate ? "quorate" : "no quorum, lease ends in " + millis(now, leaseValidUntil.get()));
    }
    String why = leaseValidUntil.isEmpty() ? (quorate ? "quorate but no lease yet" : "no quorum and no lease")
        : "lease ends in " + millis(now, leaseValidUntil.get()) + ", within the watchdog timeout " + timeout.toMillis() + " ms";
    return new Step(false, now.plus(interval), why + ": not fed (the watchdog acts by the lease end)");
  }

  private static String millis(Instant now, Instant end) {
    return Math.max(0, Duration.between(now, end).toMillis()) + " ms";
  }
}
