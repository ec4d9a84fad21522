package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real daemons run a resource through the coordinator: it starts on exactly one node, and
 * when that node's daemon is killed, the survivors start it elsewhere (fencing disabled here, so
 * a lost node counts as down).
 */
@Tag("slow")
class CoordinatedFailoverTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  @Test
  void resourceRunsOnceAndMovesWhenItsNodeDies() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, List.of("a", "b", "c"))) {
      cluster.form();
      System.out.println("daemon logs in " + root);
      Path cfg = root.resolve("cluster.yaml");
      Files.writeString(cfg, """
          cluster: demo
          properties: {fencing-enabled: false}
          nodes: [{name: a}, {name: b}, {name: c}]
          resources:
            - primitive: svc
              agent: builtin:dummy
              operations: [{name: monitor, interval: 2s}]
          """);
      assertThat(cluster.cli("apply", "-f", cfg.toString(), "--reason", "test", "--state-dir",
          cluster.dirs.get("a").toString())).isZero();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).alias("svc runs on one node")
          .until(() -> runningOn(cluster, List.of("a", "b", "c")).size() == 1);
      String first = runningOn(cluster, List.of("a", "b", "c")).getFirst();
      // The status view says the same as the nodes' own state.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).alias("status shows svc on " + first)
          .until(() -> {
            var rs = cluster.status("a").path("resources");
            return rs.size() == 1 && rs.get(0).path("instance").asText().equals("svc")
                && rs.get(0).path("runningOn").has(first) && rs.get(0).path("runningOn").size() == 1;
          });
      long killedAt = System.nanoTime();
      cluster.procs.get(first).destroyForcibly().waitFor();
      List<String> survivors = List.of("a", "b", "c").stream().filter(n -> !n.equals(first)).toList();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).alias("svc recovered on a survivor")
          .until(() -> runningOn(cluster, survivors).size() == 1);
      long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
      System.out.println("coordinated failover: svc moved from " + first + " to " + runningOn(cluster, survivors)
          + " in " + recoveredMs + " ms");
      assertThat(runningOn(cluster, survivors)).hasSize(1);
      // What if the node running it now failed too? Simulated on the live cluster's state.
      String now = runningOn(cluster, survivors).getFirst();
      assertThat(cluster.cli("simulate", "--live", "--node-fail", now, "--state-dir", cluster.dirs.get(now).toString())).isZero();
      assertThat(cluster.lastOutput).contains("Current cluster status", "Transition Summary").contains("svc");
      String revised = cluster.lastOutput.substring(cluster.lastOutput.indexOf("Revised Cluster Status"));
      assertThat(revised).contains("svc").contains("Started ").doesNotContain("Started " + now);
      // The operator moves it to the other survivor, sees the move in status, then clears it.
      String other = survivors.stream().filter(n -> !n.equals(now)).findFirst().orElseThrow();
      String dirArg = cluster.dirs.get(other).toString();
      assertThat(cluster.cli("resource", "move", "svc", other, "--state-dir", dirArg)).isZero();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).alias("svc moved to " + other)
          .until(() -> runningOn(cluster, survivors).equals(List.of(other)));
      assertThat(cluster.status(other).path("warnings").toString()).contains("svc moved to " + other);
      assertThat(cluster.cli("resource", "move", "nope", other, "--state-dir", dirArg)).isEqualTo(1);
      assertThat(cluster.cli("resource", "clear", "svc", "--state-dir", dirArg)).as(() -> "resource clear said: " + cluster.lastOutput).isZero();
      // the local replica applies the committed clear a moment after the leader answered
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).alias("no move in force on " + other)
          .until(() -> cluster.status(other).path("warnings").isEmpty());
    }
  }

  private static List<String> runningOn(LocalCluster cluster, List<String> nodes) {
    return nodes.stream().filter(n -> Files.exists(cluster.dirs.get(n).resolve("builtin").resolve("dummy-svc.state"))).toList();
  }
}
