package io.vigil.demo;

import io.vigil.exec.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs short system commands (ip, ...) from argument lists, never through a shell; fails with what the command said. */
final class Commands {
  private static final Map<String, String> ENV = Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private final ProcessRunner runner = new ProcessRunner(InstantSource.system(), System::nanoTime, Duration.ofSeconds(1), false);

  /** Runs {@code argv}; throws with its output if it fails. */
  String run(String... argv) throws IOException {
    ProcessRunner.Outcome o = runner.run(List.of(argv), ENV, TIMEOUT, 16 * 1024);
    if (o.exitCode() != 0 || o.timedOut()) {
      throw new IOException(String.join(" ", argv) + " failed" + (o.timedOut() ? " (timed out)" : " with exit code " + o.exitCode())
          + ": " + o.output().strip());
    }
    return o.output();
  }

  /** Runs {@code argv}; returns whether it succeeded, ignoring its output. */
  boolean tryRun(String... argv) {
    ProcessRunner.Outcome o = runner.run(List.of(argv), ENV, TIMEOUT, 16 * 1024);
    return o.exitCode() == 0 && !o.timedOut();
  }

  /** The pids of every process in namespace {@code ns} (none if it does not exist). */
  List<Long> namespacePids(String ns) {
    List<Long> pids = new ArrayList<>();
    try {
      for (String line : run("ip", "netns", "pids", ns).split("\n")) {
        if (!line.isBlank()) pids.add(Long.parseLong(line.strip()));
      }
    } catch (IOException | NumberFormatException e) {
      // no such namespace: nothing runs there
    }
    return pids;
  }
}
