package io.vigil.agents.ip;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a program from an argument list (never a shell) and returns its exit code and output. */
public interface ProcessRunner {

  /** Exit code and captured output of a finished process. */
  record Output(int exitCode, String stdout, String stderr) {
    /** stderr, or stdout when stderr is empty, trimmed to one line for messages. */
    public String diagnostic() {
      String s = stderr.isBlank() ? stdout : stderr;
      s = s.strip().replace('\n', ' ');
      return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
  }

  /**
   * Runs argv and waits at most {@code timeout}; a process still running then is killed and an
   * IOException names it. A missing program is an IOException too.
   */
  Output run(List<String> argv, Duration timeout) throws IOException, InterruptedException;

  /**
   * Starts argv in a session of its own and returns without waiting (follow-up announcements
   * that must not hold an action up); output is discarded and the JVM reaps it. The default runs
   * it to completion, which is what in-memory fakes want.
   */
  default void spawn(List<String> argv, Duration timeout) throws IOException, InterruptedException {
    run(argv, timeout);
  }
}
