package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pure two-voter cluster (no witness) of two real vigild: power loss of the node running the
 * group → the survivor fences it, moves the cluster to a one-voter Raft group (generation 1) and
 * recovers the group; never two copies. The fenced node restarts, learns that the cluster moved on
 * without it, discards its old group and is added again with {@code vigil node add}: two voters
 * again, with the whole configuration and history.
 */
@Tag("slow")
class TwoNodeTakeoverThroughClusterTest {
  static final List<String> NODES = List.of("a", "b");
  static final Duration WAIT = Duration.ofSeconds(90);
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  @Test
  void survivorFencesThePeerTakesOverAloneAndTheFencedNodeRejoinsAsVoter() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, NODES)) {
      cluster.form();
      System.out.println("daemon logs in " + root);
      Path calls = root.resolve("fence-calls.log");
      Path device = powerOffScript(root, calls);
      writePids(cluster);
      String victim = apply(cluster, device);
      String survivor = NODES.stream().filter(n -> !n.equals(victim)).findFirst().orElseThrow();

      // Power loss: the process dies and what it ran is gone.
      long lossMillis = System.currentTimeMillis();
      cluster.procs.get(victim).destroyForcibly().waitFor();
      Files.deleteIfExists(OperatorCommandsTest.stateFile(cluster, victim));
      AtomicInteger mostCopies = new AtomicInteger();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("svc recovered on the survivor " + survivor)
          .until(() -> {
            List<String> on = running(cluster);
            mostCopies.accumulateAndGet(on.size(), Math::max);
            return on.equals(List.of(survivor));
          });
      assertThat(mostCopies.get()).as("copies of svc at any time").isEqualTo(1);
      System.out.println("two-node power loss: svc recovered on " + survivor + " " + (System.currentTimeMillis() - lossMillis)
          + " ms after the loss of " + victim + " (as seen by this test's 100 ms polls)");
      assertThat(Files.readString(calls)).contains("plug=" + victim);
      JsonNode status = cluster.status(survivor);
      assertThat(status.path("members").size()).as(status.toString()).isEqualTo(1);
      assertThat(cluster.memberState(survivor, victim)).isEmpty();
      assertThat(history(cluster, survivor)).contains("two-node takeover by " + survivor + ": " + victim + " fenced")
          .contains("to generation 1 with " + survivor + " as its only voter");
      assertThat(localGeneration(cluster, survivor)).isEqualTo(1);
      assertThat(cluster.cli("status", "--state-dir", cluster.dirs.get(survivor).toString())).isZero();
      assertThat(cluster.lastOutput).contains("two-node: raft generation 1; took over from " + victim + " (fenced)");
      // The one-voter group commits: an operator's change is recorded.
      String sdir = cluster.dirs.get(survivor).toString();
      assertThat(cluster.cli("fencing", "pause", "--for", "1m", "--reason", "after the takeover", "--state-dir", sdir))
          .as(cluster.lastOutput).isZero();
      assertThat(cluster.cli("fencing", "resume", "--state-dir", sdir)).as(cluster.lastOutput).isZero();

      // The fenced node comes back with its old disk: it must not resume the old group.
      cluster.start(victim);
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias(victim + " learns generation 1 from " + survivor)
          .until(() -> localGeneration(cluster, victim) == 1);
      assertThat(running(cluster)).containsExactly(survivor);
      String dir = cluster.dirs.get(survivor).toString();
      int rc = cluster.cli("node", "add", victim, cluster.addresses.get(victim), "--state-dir", dir);
      if (rc != 0) rc = cluster.cli("node", "add", victim, cluster.addresses.get(victim), "--state-dir", dir);
      assertThat(rc).as(cluster.lastOutput).isZero();
      cluster.awaitAgreement(NODES, 2);
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias(victim + " has the whole history and configuration")
          .until(() -> history(cluster, victim).contains("two-node takeover by " + survivor)
              && cluster.status(victim).path("epoch").asLong() == cluster.status(survivor).path("epoch").asLong());
      assertThat(history(cluster, victim)).contains("configuration epoch 1");
      // The scheduler may move svc back to the returned node (no stickiness): never two copies meanwhile.
      await().during(Duration.ofSeconds(5)).atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("svc runs once, on one node")
          .until(() -> {
            List<String> on = running(cluster);
            mostCopies.accumulateAndGet(on.size(), Math::max);
            return on.size() == 1;
          });
      assertThat(mostCopies.get()).as("copies of svc at any time").isEqualTo(1);
    }
  }

  /** A fence device that "powers off" its target: kills the target's vigild (pid file) and forgets what it ran. */
  static Path powerOffScript(Path root, Path calls) throws Exception {
    Path device = root.resolve("fence-power.sh");
    Files.writeString(device, """
        #!/bin/sh
        plug=""
        while read -r line; do
          echo "$line" >> %1$s
          case "$line" in plug=*) plug="${line#plug=}";; esac
        done
        [ -n "$plug" ] || exit 1
        if [ -f %2$s/pid-"$plug" ]; then kill -9 "$(cat %2$s/pid-"$plug")" 2>/dev/null; fi
        rm -f %2$s/"$plug"/builtin/dummy-svc.state
        exit 0
        """.formatted(calls, root));
    Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rwxr-xr-x"));
    return device;
  }

  static void writePids(LocalCluster cluster) throws Exception {
    for (var e : cluster.procs.entrySet()) {
      Files.writeString(cluster.dirs.get(e.getKey()).resolveSibling("pid-" + e.getKey()), Long.toString(e.getValue().pid()));
    }
  }

  String apply(LocalCluster cluster, Path script) throws Exception {
    Path cfg = root.resolve("cluster.yaml");
    Files.writeString(cfg, """
        cluster: demo
        properties: {fencing-enabled: true}
        nodes: [{name: a}, {name: b}]
        resources:
          - primitive: power
            agent: stonith:script
            params: {path: %s, pcmk_host_list: "a b"}
          - primitive: svc
            agent: builtin:dummy
            operations: [{name: monitor, interval: 1s}]
        """.formatted(script));
    assertThat(cluster.cli("apply", "-f", cfg.toString(), "--reason", "test", "--state-dir", cluster.dirs.get("a").toString())).isZero();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("svc runs on one node")
        .until(() -> running(cluster).size() == 1);
    return running(cluster).getFirst();
  }

  static List<String> running(LocalCluster cluster) {
    return NODES.stream().filter(n -> Files.exists(OperatorCommandsTest.stateFile(cluster, n))).toList();
  }

  static String history(LocalCluster cluster, String viewer) throws Exception {
    return cluster.call(viewer, cluster.json.createObjectNode().put("op", "history").put("limit", 10_000)).path("events").toString();
  }

  static long localGeneration(LocalCluster cluster, String node) {
    try {
      return cluster.call(node, cluster.json.createObjectNode().put("op", "local-status")).path("twoNode").path("generation").asLong(-1);
    } catch (Exception e) {
      return -1;
    }
  }
}
