package io.vigil.cli;

import io.vigil.cluster.daemon.Daemon;
import io.vigil.cluster.raft.VigilRaftConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vigil daemon run --state-dir DIR}: runs vigild in the foreground until SIGTERM. */
@Command(name = "daemon", mixinStandardHelpOptions = true, description = "Run the Vigil daemon (vigild).",
    subcommands = DaemonCommand.Run.class)
public final class DaemonCommand {

  /** Runs the daemon in the foreground. */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run vigild in the foreground until stopped.")
  public static final class Run implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Override
    public Integer call() throws Exception {
      // Ratis logs every setting at INFO; operators need its warnings only (override with -D...).
      if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.ratis") == null) {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.ratis", "warn");
      }
      if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
      }
      Daemon d = new Daemon(dir.resolve(), VigilRaftConfig.DEFAULTS, Clock.systemUTC(), System::nanoTime);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          d.close();
        } catch (Exception e) {
          System.err.println("vigild: error while stopping: " + e.getMessage());
        }
      }, "vigil-shutdown"));
      d.start();
      System.out.println("vigild " + d.identity().node() + " running (cluster " + d.identity().cluster() + ")");
      System.out.flush();
      d.awaitStop();
      return 0;
    }
  }
}
