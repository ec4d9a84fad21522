package io.vigil.agents.volume.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program (argument list, no shell) with a bound on its run time. */
public final class Proc {
  private Proc() {}

  /** Exit code and combined output of a finished program. */
  public record Result(int exit, String output) {
    public Result requireOk(List<String> command) {
      if (exit != 0) throw new AssertionError(command + " exited " + exit + ":\n" + output);
      return this;
    }
  }

  public static Result run(long timeoutSeconds, String... command) {
    return run(java.util.Map.of(), timeoutSeconds, command);
  }

  /** Like {@link #run(long, String...)} with extra environment variables. */
  public static Result run(java.util.Map<String, String> env, long timeoutSeconds, String... command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out;
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(List.of(command) + " did not finish in " + timeoutSeconds + " s");
      }
      out = p.getInputStream().readAllBytes();
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + List.of(command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + List.of(command), e);
    }
  }

  public static Result ok(long timeoutSeconds, String... command) {
    return run(timeoutSeconds, command).requireOk(List.of(command));
  }
}
