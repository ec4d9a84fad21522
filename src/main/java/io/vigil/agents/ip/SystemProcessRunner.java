package io.vigil.agents.ip;

import io.vigil.model.Durations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@link ProcessRunner} on {@link ProcessBuilder}; output is read on virtual threads. */
public final class SystemProcessRunner implements ProcessRunner {

  @Override
  public Output run(List<String> argv, Duration timeout) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
        throw new IOException(String.join(" ", argv) + ": still running after "
            + Durations.format(timeout) + ", killed");
      }
      return new Output(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(String.join(" ", argv) + ": could not read output: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  @Override
  public void spawn(List<String> argv, Duration timeout) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of("setsid", "timeout", "--kill-after=1", Long.toString(Math.max(1, timeout.toSeconds()))));
    cmd.addAll(argv);
    new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (in) {
        f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }
}
