package io.vigil.fencing.topology;

import io.vigil.fencing.FenceResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A device's recurring-monitor state, immutable: when it is next due, whether the last monitor passed, and
 * since when it has been failing. {@link #statusLine} is what status shows.
 */
public record DeviceHealth(String device, Duration interval, Instant nextDue, Optional<Instant> lastRun, boolean ok,
    int failures, Optional<Instant> failingSince, String lastMessage) {

  /** A device never monitored yet; due at {@code now}. */
  public static DeviceHealth initial(String device, Duration interval, Instant now) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("monitor interval of '" + device + "' must be positive, got " + interval);
    }
    return new DeviceHealth(device, interval, now, Optional.empty(), true, 0, Optional.empty(), "not monitored yet");
  }

  public boolean due(Instant now) {
    return !now.isBefore(nextDue);
  }

  /** The state after a monitor that finished at {@code now}. */
  public DeviceHealth after(FenceResult r, Instant now) {
    if (r.succeeded()) {
      return new DeviceHealth(device, interval, now.plus(interval), Optional.of(now), true, 0, Optional.empty(), r.summary());
    }
    return new DeviceHealth(device, interval, now.plus(interval), Optional.of(now), false, failures + 1,
        Optional.of(failingSince.orElse(now)), r.summary());
  }

  public String statusLine() {
    if (lastRun.isEmpty()) return "fence device '" + device + "': not monitored yet";
    if (ok) return "fence device '" + device + "': ok (monitored " + lastRun.get() + ")";
    return "fence device '" + device + "': monitor FAILING since " + failingSince.orElseThrow() + " (" + failures
        + " time(s)): " + lastMessage;
  }
}
