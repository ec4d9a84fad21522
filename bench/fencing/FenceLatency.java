import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.Sleeper;
import io.vigil.fencing.device.DeviceFactory;
import io.vigil.fencing.topology.FenceOperation;
import io.vigil.fencing.topology.FencingEngine;
import io.vigil.model.AgentRef;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.OpDefaults;
import io.vigil.model.Primitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** Off through Vigil's engine (fence_dummy) vs. the same agent run directly with its stdin; N runs each. */
public class FenceLatency {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path power = Files.createTempFile("vigil-bench-power", "");
    Primitive dummy = Primitive.of("dummy", AgentRef.parse("stonith:fence_dummy"),
        Map.of("status_file", power.toString(), "pcmk_host_list", "beta"));
    ClusterConfig config = new ClusterConfig("bench", List.of(Node.named("beta")), List.of(dummy), List.of(),
        ClusterProperties.DEFAULTS, Meta.EMPTY, OpDefaults.EMPTY, List.of());
    FencingEngine engine = new FencingEngine(config, DeviceFactory.system(), Clock.systemUTC(), Sleeper.REAL,
        new SplittableRandom(), l -> { });
    List<Double> vigil = new ArrayList<>();
    List<Double> direct = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Files.writeString(power, "on");
      long t = System.nanoTime();
      FenceOperation op = engine.fence(new FenceRequest("beta", FenceAction.OFF, FenceRequest.Kind.OPERATOR, "bench", "",
          Optional.empty()));
      vigil.add((System.nanoTime() - t) / 1e6);
      if (!op.succeeded()) throw new IllegalStateException(op.summary());
      Files.writeString(power, "on");
      t = System.nanoTime();
      Process p = new ProcessBuilder("/usr/sbin/fence_dummy").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().write(("action=off\nplug=beta\nstatus_file=" + power + "\n").getBytes());
      p.getOutputStream().close();
      p.waitFor(60, TimeUnit.SECONDS);
      direct.add((System.nanoTime() - t) / 1e6);
      if (p.exitValue() != 0) throw new IllegalStateException("fence_dummy exit " + p.exitValue());
    }
    Files.deleteIfExists(power);
    System.out.println("| path (fence_dummy off, " + n + " runs) | median ms | p95 ms |");
    System.out.println("|---|---|---|");
    System.out.printf("| vigil engine (setsid, group kill, history) | %.1f | %.1f |%n", pct(vigil, 50), pct(vigil, 95));
    System.out.printf("| fence_dummy run directly | %.1f | %.1f |%n", pct(direct, 50), pct(direct, 95));
  }

  static double pct(List<Double> xs, int p) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
  }
}
