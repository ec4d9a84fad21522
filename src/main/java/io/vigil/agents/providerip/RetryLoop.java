package io.vigil.agents.providerip;

import io.vigil.agents.ip.AgentResult;
import io.vigil.model.Durations;
import io.vigil.agents.ip.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Runs attempts until one is final or the deadline comes, sleeping an exponential backoff
 * between retries. A retry that could not start before the deadline is not waited for: the
 * loop fails at once with the last reason. Time and sleeping are injected.
 */
public final class RetryLoop {

  /** What an attempt concluded. */
  public sealed interface Step {}

  /** Final: this result is the action's result. */
  public record Done(AgentResult result) implements Step {}

  /** Try again after a backoff; {@code throttled} selects the (longer) rate-limit backoff. */
  public record Retry(String reason, boolean throttled) implements Step {}

  /** One attempt, given the time left until the deadline (for its request timeout). */
  @FunctionalInterface
  public interface Attempt {
    Step run(Duration remaining) throws InterruptedException;
  }

  /** Exponential backoff: initial, doubled per retry, capped. */
  public record Backoff(Duration initial, Duration max) {
    public Duration delay(int retry) {
      Duration d = initial;
      for (int i = 0; i < retry && d.compareTo(max) < 0; i++) {
        d = d.multipliedBy(2);
      }
      return d.compareTo(max) > 0 ? max : d;
    }
  }

  private final InstantSource clock;
  private final Sleeper sleeper;
  private final Backoff normal;
  private final Backoff throttled;

  public RetryLoop(InstantSource clock, Sleeper sleeper, Backoff normal, Backoff throttled) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.normal = normal;
    this.throttled = throttled;
  }

  /** Runs {@code attempt} until Done or until {@code timeout} has passed; what = "switch ..." for messages. */
  public AgentResult run(String what, Duration timeout, Attempt attempt) {
    Instant deadline = clock.instant().plus(timeout);
    int retries = 0;
    int throttledRetries = 0;
    String last = "";
    try {
      while (true) {
        Duration remaining = Duration.between(clock.instant(), deadline);
        if (remaining.isNegative() || remaining.isZero()) {
          return AgentResult.failed(AgentResult.OCF_ERR_GENERIC,
              what + ": no time left within " + Durations.format(timeout) + (last.isEmpty() ? "" : "; last: " + last));
        }
        Step step = attempt.run(remaining);
        if (step instanceof Done done) {
          return done.result();
        }
        Retry retry = (Retry) step;
        last = retry.reason();
        Duration delay = retry.throttled() ? throttled.delay(throttledRetries++) : normal.delay(retries++);
        // Waking up at or after the deadline leaves no time for another attempt.
        if (!clock.instant().plus(delay).isBefore(deadline)) {
          return AgentResult.failed(AgentResult.OCF_ERR_GENERIC, what + ": gave up after "
              + (retries + throttledRetries) + " attempt(s) within " + Durations.format(timeout)
              + "; last: " + retry.reason());
        }
        sleeper.sleep(delay);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AgentResult.failed(AgentResult.OCF_ERR_GENERIC, what + ": interrupted");
    }
  }
}
