package io.vigil.fencing.watchdog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A stand-in daemon for the supervisor tests, run in its own JVM so a test can SIGSTOP or SIGKILL it:
 * starts the supervisor, registers a process group (and optionally an address), then feeds forever.
 * Args: STATE_DIR TIMEOUT_MS PGID [NETNS DEV CIDR]
 */
public final class FeederMain {
  private FeederMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Duration timeout = Duration.ofMillis(Long.parseLong(args[1]));
    SupervisorWatchdog wd = SupervisorWatchdog.start(dir, timeout);
    wd.targets().addProcessGroup(Long.parseLong(args[2]));
    if (args.length >= 6) wd.targets().addAddress(args[3], args[4], args[5]);
    wd.feed();
    Files.writeString(dir.resolve("feeder.ready"), ProcessHandle.current().pid() + " " + wd.pid());
    long interval = Math.max(20, timeout.toMillis() / 4);
    while (true) {
      wd.feed();
      if (Files.exists(dir.resolve("feeder.disarm"))) {
        wd.disarm();
        Files.writeString(dir.resolve("feeder.disarmed"), "yes");
        Thread.sleep(Long.MAX_VALUE);
      }
      Thread.sleep(interval);
    }
  }
}
