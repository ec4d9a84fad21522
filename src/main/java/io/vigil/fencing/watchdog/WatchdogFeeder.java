package io.vigil.fencing.watchdog;

import java.io.IOException;
import java.time.Duration;

/**
 * A watchdog the daemon must feed at least every {@link #timeout()}; if it stops (daemon hung, frozen or
 * killed) the watchdog acts on its own. Closing with the magic close disarms it (clean shutdown only).
 */
public interface WatchdogFeeder extends AutoCloseable {
  /** Pets the watchdog. */
  void feed() throws IOException;

  /** Disarms it: the magic close ('V'). Only after the node's resources are stopped. */
  void disarm() throws IOException;

  /** Time after the last feed at which the watchdog acts. */
  Duration timeout();

  /** "device /dev/watchdog" or "supervisor pid N", for status. */
  String describe();

  /** Closing without {@link #disarm} leaves the watchdog armed: it will act. */
  @Override
  void close() throws IOException;
}
