import io.vigil.exec.AgentExecutor;
import io.vigil.model.AgentRef;
import io.vigil.model.ResourceClass;
import io.vigil.exec.BuiltinRegistry;
import io.vigil.exec.ExecConfig;
import io.vigil.exec.ExecResult;
import io.vigil.exec.Invocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Per-action latency of Vigil's executor (one JVM, warm) for validate-all and monitor of
 * ocf:heartbeat:Dummy, with the reaping wrapper (default) and with plain setsid. Prints one
 * table row per case: n, p50, p90, p99 in ms. Run by bench/exec/run.sh.
 */
public class ExecBench {
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    for (boolean reaper : new boolean[] {true, false}) {
      ExecConfig d = ExecConfig.defaults();
      ExecConfig c = new ExecConfig(d.ocfRoot(), d.lsbRoot(), d.outputTailBytes(), d.metadataOutputBytes(),
          d.killGrace(), d.metadataTimeout(), d.path(), reaper);
      AgentExecutor ex = AgentExecutor.system(c, BuiltinRegistry.withDefaults(Path.of("/tmp/vigil-bench")));
      for (String action : new String[] {"validate-all", "monitor"}) {
        row("vigil " + (reaper ? "(python3 reaper)" : "(setsid)") + " " + action, n, ex, "ocf:heartbeat:Dummy", action);
      }
      if (reaper) {
        row("vigil builtin:dummy monitor", n, ex, "builtin:dummy", "monitor");
      }
    }
  }

  static void row(String label, int n, AgentExecutor ex, String agent, String action) {
    Invocation inv = Invocation.of(AgentRef.parse(agent), "bench", action,
        Map.of("state", "/tmp/vigil-bench/dummy.state"), Duration.ofSeconds(20));
    for (int i = 0; i < 10; i++) {
      ex.run(inv); // warm-up
    }
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      ExecResult r = ex.run(inv);
      ms[i] = (System.nanoTime() - t0) / 1e6;
      if (r.rc() != 0 && r.rc() != 7) {
        throw new IllegalStateException(label + ": unexpected " + r.summary());
      }
    }
    Arrays.sort(ms);
    System.out.printf("| %-40s | %4d | %7.1f | %7.1f | %7.1f |%n", label, n, ms[n / 2], ms[(int) (n * 0.9)], ms[(int) (n * 0.99)]);
  }
}
