package io.vigil.fencing.watchdog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Picks the self-fencing mode: the kernel watchdog device when present, else the supervisor process. */
public final class Watchdogs {
  private Watchdogs() {}

  /**
   * Opens {@code device} (hardware or softdog, whose driver timeout is {@code timeout}) when it exists,
   * otherwise starts the supervisor in {@code stateDir} with {@code timeout}.
   */
  public static WatchdogFeeder open(Path device, Path stateDir, Duration timeout) throws IOException {
    if (DeviceWatchdog.present(device)) return DeviceWatchdog.open(device, timeout);
    return SupervisorWatchdog.start(stateDir, timeout);
  }
}
