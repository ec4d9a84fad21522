package io.vigil.cluster.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Benchmark harness (not a test): forms a 3-daemon cluster, then kills the leader with SIGKILL
 * {@code runs} times, polling a survivor's control socket every 10 ms, and prints how long until
 * the survivors agree on a new leader and until the replicated status marks the victim LOST.
 * Run by {@code bench/cluster/failover.sh}.
 */
public final class FailoverBench {
  private FailoverBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<String> names = List.of("a", "b", "c");
    Path root = Files.createTempDirectory("vigil-failover-bench");
    List<Long> elected = new ArrayList<>();
    List<Long> lost = new ArrayList<>();
    System.out.println("run  victim  new-leader  elected_ms  lost_ms");
    try (LocalCluster c = new LocalCluster(root, names)) {
      c.form();
      for (int run = 1; run <= runs; run++) {
        c.awaitAgreement(names, 3);
        String victim = c.agreedLeader(names, 3);
        List<String> survivors = new ArrayList<>(names);
        survivors.remove(victim);
        long t0 = System.nanoTime();
        c.procs.remove(victim).destroyForcibly().waitFor();
        long deadline = t0 + 30_000_000_000L;
        long electedAt = -1;
        long lostAt = -1;
        String next = null;
        while ((electedAt < 0 || lostAt < 0) && System.nanoTime() < deadline) {
          if (electedAt < 0 && (next = c.agreedLeader(survivors, 3)) != null) electedAt = System.nanoTime();
          if (lostAt < 0 && c.memberState(survivors.getFirst(), victim).equals("LOST")) lostAt = System.nanoTime();
          Thread.sleep(10); // the sampling period of this harness, not a wait for a condition
        }
        long e = electedAt < 0 ? -1 : (electedAt - t0) / 1_000_000;
        long l = lostAt < 0 ? -1 : (lostAt - t0) / 1_000_000;
        elected.add(e);
        lost.add(l);
        System.out.printf("%3d  %-6s  %-10s  %10d  %7d%n", run, victim, next, e, l);
        c.start(victim);
        c.awaitAgreement(names, 3);
        // Let the restarted node be seen ONLINE before the next kill.
        long until = System.nanoTime() + 30_000_000_000L;
        while (!c.memberState(survivors.getFirst(), victim).equals("ONLINE") && System.nanoTime() < until) Thread.sleep(50);
      }
    }
    finally {
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.printf("median elected_ms %d, median lost_ms %d (%d runs)%n", median(elected), median(lost), runs);
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
