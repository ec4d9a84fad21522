package io.vigil.fencing.watchdog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A node's self-fencing settings (vigild options {@code --watchdog}, {@code --watchdog-device},
 * {@code --watchdog-timeout}), with their defaults and validation in one place.
 *
 * @param mode {@code auto} (the device when present, else the supervisor), {@code supervisor} or {@code off}
 * @param device the kernel watchdog device tried in {@code auto} mode
 * @param timeout time after the last feed at which the watchdog acts; must leave room inside the lease
 */
public record WatchdogSettings(Mode mode, Path device, Duration timeout) {
  /** Which watchdog the daemon runs. */
  public enum Mode { AUTO, SUPERVISOR, OFF }

  /** 2 s: well inside the 5 s lease, and far above a feeding thread's worst stall on a loaded host. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration MIN_TIMEOUT = Duration.ofMillis(200);
  public static final Duration MAX_TIMEOUT = Duration.ofSeconds(3);
  public static final WatchdogSettings DEFAULTS = new WatchdogSettings(Mode.AUTO, DeviceWatchdog.DEFAULT, DEFAULT_TIMEOUT);

  public WatchdogSettings {
    if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("watchdog timeout " + timeout.toMillis() + " ms is out of range (expected "
          + MIN_TIMEOUT.toMillis() + " ms .. " + MAX_TIMEOUT.toSeconds() + " s: it must end well inside the 5 s lease)");
    }
  }

  /** Parses {@code auto}, {@code supervisor} or {@code off}. */
  public static Mode mode(String text) {
    try {
      return Mode.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("watchdog mode '" + text + "': expected auto, supervisor or off");
    }
  }
}
