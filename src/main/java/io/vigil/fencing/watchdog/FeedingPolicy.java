package io.vigil.fencing.watchdog;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the daemon feeds its watchdog, pure. It feeds only while it may keep running resources: it has quorum,
 * or its lease is still valid. Feeding stops the moment neither holds, so the watchdog fires one timeout
 * later unless the daemon stopped every resource and disarmed it first.
 */
public final class FeedingPolicy {
  private FeedingPolicy() {}

  /** What to do now and when to ask again. */
  public record Step(boolean feed, Instant next, String reason) {}

  /**
   * @param leaseValidUntil end of this node's lease, if it holds one
   */
  public static Step step(boolean quorate, Optional<Instant> leaseValidUntil, Duration timeout, Instant now) {
    Duration interval = timeout.dividedBy(3);
    if (quorate) return new Step(true, now.plus(interval), "quorate");
    if (leaseValidUntil.isPresent() && now.isBefore(leaseValidUntil.get())) {
      Instant next = now.plus(interval);
      if (next.isAfter(leaseValidUntil.get())) next = leaseValidUntil.get();
      return new Step(true, next, "no quorum, lease valid until " + leaseValidUntil.get());
    }
    return new Step(false, now.plus(interval), "no quorum and no valid lease: watchdog left to fire");
  }
}
