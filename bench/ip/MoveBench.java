// Planned-move outage of a floating address, Vigil's AddressMove vs. the manual way
// (ip addr del/add + arping -U), measured from a client namespace with the lab prober:
// the gap between the last answer from the old holder and the first from the new one.
// Run through move-bench.sh, which builds the lab and the classpath.
import io.vigil.agents.ip.AddressMove;
import io.vigil.agents.ip.FileOwnershipStore;
import io.vigil.agents.ip.FloatingAddressAgent;
import io.vigil.agents.ip.IpParams;
import io.vigil.agents.ip.Sleeper;
import io.vigil.agents.ip.SystemProcessRunner;
import io.vigil.agents.ip.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public class MoveBench {
  static String prefix, labDir, vip = "10.77.0.100";
  static Path state;

  public static void main(String[] args) throws Exception {
    prefix = args[0];
    labDir = args[1];
    int runs = Integer.parseInt(args[2]);
    state = Files.createTempDirectory("movebench");
    String[][] methods = {
        {"vigil AddressMove, probe-timeout 1s", "1s", "true"},
        {"vigil AddressMove, probe-timeout 300ms (default)", "300ms", "true"},
        {"vigil AddressMove, probe=false", "1s", "false"},
        {"manual: ip addr del; ip addr add; arping -U -c 1", null, null}};
    System.out.printf("| method | runs | median outage | max outage | median move call |%n|---|---|---|---|---|%n");
    for (String[] m : methods) {
      List<Double> outages = new ArrayList<>();
      List<Double> calls = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        // alternate direction so every run moves an address the client currently uses
        String from = (i % 2 == 0) ? "h1" : "h2";
        String to = (i % 2 == 0) ? "h2" : "h1";
        double[] r = once(m, from, to);
        outages.add(r[0]);
        calls.add(r[1]);
      }
      Collections.sort(outages);
      Collections.sort(calls);
      System.out.printf("| %s | %d | %.3f s | %.3f s | %.3f s |%n", m[0], runs, outages.get(runs / 2),
          outages.get(runs - 1), calls.get(runs / 2));
      place("h1"); // reset for the next method
    }
  }

  static FloatingAddressAgent agent(String host, String probeTimeout, String probe) {
    Map<String, String> raw = new HashMap<>(Map.of("address", vip + "/24", "interface", "eth0",
        "netns", prefix + "-" + host, "state-dir", state.toString(), "announce-count", "3",
        "announce-interval", "100ms", "probe-timeout", probeTimeout, "probe", probe));
    return new FloatingAddressAgent(IpParams.parse("bench", raw), new SystemProcessRunner(),
        new FileOwnershipStore(state, InstantSource.system()), Tools.locate(), System::nanoTime, Sleeper.SYSTEM);
  }

  /** Puts the address on {@code host} only (untimed), via Vigil so ownership is recorded. */
  static void place(String host) throws Exception {
    String other = host.equals("h1") ? "h2" : "h1";
    agent(other, "1s", "false").stop();
    sh("ip", "-n", prefix + "-" + other, "addr", "flush", "to", vip + "/32");
    if (agent(host, "1s", "false").monitor().rc() != 0) {
      agent(host, "1s", "false").start();
    }
  }

  static double[] once(String[] m, String from, String to) throws Exception {
    place(from);
    Path log = Files.createTempFile("probe", ".log");
    Path ready = Files.createTempFile("ready", "");
    Files.delete(ready);
    Process prober = new ProcessBuilder("ip", "netns", "exec", prefix + "-client", "python3",
        labDir + "/prober.py", "--target", vip, "--duration-s", "4", "--out", log.toString(),
        "--ready-file", ready.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!Files.exists(ready) && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    Thread.sleep(300); // the client talks to the old holder, so its neighbour entry points there
    long t0 = System.nanoTime();
    if (m[1] != null) {
      AddressMove.Outcome o = AddressMove.move(from, agent(from, m[1], m[2]), to, agent(to, m[1], m[2]));
      if (!o.moved()) {
        throw new IllegalStateException(o.message());
      }
    } else {
      sh("ip", "-n", prefix + "-" + from, "addr", "del", vip + "/24", "dev", "eth0");
      sh("ip", "-n", prefix + "-" + to, "addr", "add", vip + "/24", "dev", "eth0");
      sh("ip", "netns", "exec", prefix + "-" + to, "arping", "-q", "-U", "-i", "eth0", "-S", vip, "-c", "1", vip);
    }
    long t1 = System.nanoTime();
    if (m[1] == null) {
      // the manual way leaves no ownership record: hand the address to Vigil's bookkeeping again
      sh("ip", "-n", prefix + "-" + to, "addr", "del", vip + "/24", "dev", "eth0");
      agent(to, "1s", "false").start();
    }
    prober.waitFor(10, TimeUnit.SECONDS);
    // Client-perceived outage: last answer from the old holder -> first answer from the new one.
    long lastOld = t0;
    double outage = Double.NaN;
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ");
      if (line.startsWith("#") || f.length < 4 || !f[2].equals("ok")) {
        continue;
      }
      if (f[3].equals(from)) {
        lastOld = Math.max(lastOld, Long.parseLong(f[1]));
      } else if (f[3].equals(to) && Long.parseLong(f[0]) >= t0) {
        outage = (Long.parseLong(f[1]) - lastOld) / 1e9;
        break;
      }
    }
    Files.deleteIfExists(log);
    return new double[] {outage, (t1 - t0) / 1e9};
  }

  static void sh(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.waitFor(10, TimeUnit.SECONDS);
  }
}
