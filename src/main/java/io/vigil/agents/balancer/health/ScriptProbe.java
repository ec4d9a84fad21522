package io.vigil.agents.balancer.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external check program with an argument list (never through a shell). Its output is
 * discarded; the exit code decides, with keepalived's misc_dynamic meaning when enabled.
 */
final class ScriptProbe implements Probe {
  private final CheckSpec.Script spec;

  ScriptProbe(CheckSpec.Script spec) {
    this.spec = spec;
  }

  @Override
  public CheckResult probe(InetSocketAddress target, Duration timeout) throws InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(spec.command())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("VIGIL_RS_HOST", target.getHostString());
    pb.environment().put("VIGIL_RS_PORT", Integer.toString(target.getPort()));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return CheckResult.failed("check script " + spec.command().get(0) + " could not start: " + e.getMessage());
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        return CheckResult.failed("check script " + spec.command().get(0) + " timed out after " + timeout.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    }
    return interpret(p.exitValue(), spec.command().get(0), spec.dynamicWeight());
  }

  /** keepalived: 0 healthy; dynamic: 1 failed, 2..255 healthy with weight exit-2; else non-zero failed. */
  static CheckResult interpret(int exit, String name, boolean dynamicWeight) {
    if (exit == 0) {
      return CheckResult.ok("check script " + name + " exited 0");
    }
    if (dynamicWeight && exit >= 2 && exit <= 255) {
      return new CheckResult(true, OptionalInt.of(exit - 2),
          "check script " + name + " exited " + exit + ": weight " + (exit - 2));
    }
    return CheckResult.failed("check script " + name + " exited " + exit);
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
