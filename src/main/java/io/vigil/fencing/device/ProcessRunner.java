package io.vigil.fencing.device;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Runs one program with argv (never a shell), stdin bytes and a timeout; the seam under every device. */
public interface ProcessRunner {

  /**
   * What a run did.
   *
   * @param exitCode empty when the process was killed at its timeout
   * @param stdout standard output, truncated to a bound
   */
  record Outcome(OptionalInt exitCode, String stdout, String stderr, boolean timedOut, Duration duration) {}

  /** Runs {@code argv} with {@code stdin} written then closed; extra environment entries in {@code env}. */
  Outcome run(List<String> argv, byte[] stdin, Map<String, String> env, Path workDir, Duration timeout)
      throws InterruptedException;
}
