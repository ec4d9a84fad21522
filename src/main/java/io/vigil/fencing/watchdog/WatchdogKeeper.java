package io.vigil.fencing.watchdog;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The thin driver between {@link FeedingPolicy} and a {@link WatchdogFeeder}: the daemon's loop calls
 * {@link #poll} with its quorum and lease state and waits until the returned instant. A failed feed is not
 * retried here: the watchdog firing is the intended outcome when the daemon cannot feed it.
 */
public final class WatchdogKeeper {
  private final WatchdogFeeder feeder;
  private volatile String status = "armed, not fed yet";

  public WatchdogKeeper(WatchdogFeeder feeder) {
    this.feeder = feeder;
  }

  /** Feeds when the policy allows it; returns when to poll next. */
  public Instant poll(boolean quorate, Optional<Instant> leaseValidUntil, Instant now) throws IOException {
    FeedingPolicy.Step step = FeedingPolicy.step(quorate, leaseValidUntil, feeder.timeout(), now);
    if (step.feed()) feeder.feed();
    status = feeder.describe() + ": " + (step.feed() ? "fed at " + now + " (" + step.reason() + ")" : step.reason());
    return step.next();
  }

  /** One line for status: which watchdog, and whether it is being fed and why. */
  public String status() {
    return status;
  }
}
