package io.vigil.agents.balancer.ipvs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one command given as an argument list; the seam between IPVS programming and the kernel. */
public interface CommandRunner {

  /** Runs it; a non-zero exit or a timeout is an IOException naming the command, exit code and output. */
  void run(List<String> argv) throws IOException, InterruptedException;

  /** The real runner: ProcessBuilder with the argument list (no shell), bounded by a timeout. */
  static CommandRunner processes(Duration timeout) {
    return argv -> {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      boolean done;
      try {
        done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        throw e;
      }
      if (!done) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + ": no answer after " + timeout.toMillis() + " ms");
      }
      String output = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", argv) + ": exit " + p.exitValue() + (output.isEmpty() ? "" : ": " + output));
      }
    };
  }
}
