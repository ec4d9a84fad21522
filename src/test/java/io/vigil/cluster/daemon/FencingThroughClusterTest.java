package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing through three real daemons: {@code vigil fencing pause} keeps a lost node from being
 * fenced (the fence device, a script that logs every call, is never run) and its resource from
 * being recovered; {@code vigil fence confirm --yes} records the operator's word in the replicated
 * history and the resource is recovered on a survivor; status shows the pause banner;
 * {@code fencing resume} ends it. A device that keeps failing is tried {@code fencing-max-attempts}
 * times, then the cluster gives up (status says so) until the operator confirms the node is down.
 */
@Tag("slow")
class FencingThroughClusterTest {
  static final List<String> NODES = List.of("a", "b", "c");
  static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;
  String lastErr = "";

  @Test
  void aPauseBlocksFencingOfALostNodeUntilTheOperatorConfirmsIt() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, NODES)) {
      cluster.form();
      System.out.println("daemon logs in " + root);
      Path calls = root.resolve("fence-calls.log");
      Path device = root.resolve("fence-ok.sh");
      Files.writeString(device, "#!/bin/sh\nwhile read -r line; do echo \"$line\" >> " + calls + "; done\nexit 0\n");
      Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rwxr-xr-x"));
      String victim = applyWithFenceScript(cluster, "fence-ok", device);
      List<String> survivors = NODES.stream().filter(n -> !n.equals(victim)).toList();
      String dir = cluster.dirs.get(survivors.getFirst()).toString();

      assertThat(cluster.cli("fencing", "pause", "--for", "30m", "--reason", "kernel upgrade", "--state-dir", dir))
          .as(cluster.lastOutput).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("the pause is replicated")
          .until(() -> cluster.status(survivors.getLast()).path("fencingPauses").size() == 1);
      JsonNode pause = cluster.status(survivors.getLast()).path("fencingPauses").get(0);
      assertThat(pause.path("reason").asText()).isEqualTo("kernel upgrade");
      assertThat(pause.path("leftMillis").asLong()).isBetween(25 * 60_000L, 30 * 60_000L);
      assertThat(cluster.cli("status", "--state-dir", dir)).isZero();
      assertThat(cluster.lastOutput).containsPattern("\\*\\*\\* FENCING PAUSED for every node: (29m..s|30m00s) left").contains("kernel upgrade");

      // confirm is refused without --yes, and for a node the cluster still hears.
      assertThat(cliWithErr(cluster, "fence", "confirm", victim, "--state-dir", dir)).isEqualTo(2);
      assertThat(lastErr).contains("refusing without --yes");
      assertThat(cliWithErr(cluster, "fence", "confirm", victim, "--yes", "--state-dir", dir)).isEqualTo(1);
      assertThat(lastErr).contains("is online, not lost");

      cluster.procs.get(victim).destroyForcibly().waitFor();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias(victim + " is lost")
          .until(() -> cluster.memberState(survivors.getFirst(), victim).equals("LOST"));
      // During the pause: not fenced, not recovered.
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200))
          .alias("nothing fenced or recovered during the pause")
          .until(() -> !Files.exists(calls) && survivors.stream().noneMatch(n -> Files.exists(OperatorCommandsTest.stateFile(cluster, n)))
              && cluster.memberState(survivors.getFirst(), victim).equals("LOST"));

      assertThat(cluster.status(survivors.getFirst()).path("warnings").toString())
          .contains("node " + victim + " is lost and fencing is paused").contains("vigil fence confirm " + victim + " --yes");
      assertThat(cluster.cli("fence", "confirm", victim, "--yes", "--reason", "powered off by hand", "--state-dir", dir))
          .as(cluster.lastOutput).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("svc recovered on a survivor")
          .until(() -> survivors.stream().filter(n -> Files.exists(OperatorCommandsTest.stateFile(cluster, n))).count() == 1);
      assertThat(cluster.memberState(survivors.getLast(), victim)).isEqualTo("FENCED");
      assertThat(calls).doesNotExist();
      assertThat(cluster.cli("fence", "history", victim, "--state-dir", cluster.dirs.get(survivors.getLast()).toString())).isZero();
      assertThat(cluster.lastOutput).contains("confirm of " + victim + " via operator succeeded")
          .contains("powered off by hand").contains("@" + survivors.getFirst());

      // An explicit operator fencing through the cluster runs the device (even during the pause) and is recorded.
      assertThat(cluster.cli("fence", victim, "--off", "--reason", "drill", "--state-dir", dir)).as(cluster.lastOutput).isZero();
      assertThat(cluster.lastOutput).contains("fence-ok").contains("recorded in the cluster's history");
      assertThat(Files.readString(calls)).contains("action=off").contains("plug=" + victim);
      assertThat(cliWithErr(cluster, "fence", "zz", "--state-dir", dir)).isEqualTo(2);
      assertThat(lastErr).contains("unknown node 'zz'");
      assertThat(cluster.cli("fencing", "resume", "--state-dir", dir)).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("the pause ended everywhere")
          .until(() -> cluster.status(survivors.getLast()).path("fencingPauses").isEmpty());
      assertThat(cliWithErr(cluster, "fencing", "resume", "--state-dir", dir)).isEqualTo(1);
      assertThat(lastErr).contains("no fencing pause is active");
      assertThat(cluster.cli("fence", "history", "--state-dir", dir)).isZero();
      assertThat(cluster.lastOutput).contains("fencing paused until").contains("fencing resumed")
          .contains("off of " + victim + " via fence-ok succeeded: operator request: drill");
    }
  }

  @Test
  void aFailingDeviceKeepsTheLostNodesResourcesBlockedAndIsTriedAgainAfterABackoff() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, NODES)) {
      cluster.form();
      System.out.println("daemon logs in " + root);
      Path broken = root.resolve("pdu-broken");
      Files.writeString(broken, "");
      Path device = root.resolve("fence-pdu.sh");
      // fails while the flag file exists, as a PDU that does not answer
      Files.writeString(device, "#!/bin/sh\ncat >/dev/null\nif [ -e " + broken + " ]; then echo 'pdu unreachable' >&2; exit 1; fi\nexit 0\n");
      Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rwxr-xr-x"));
      String victim = applyWithFenceScript(cluster, "pdu", device);
      List<String> survivors = NODES.stream().filter(n -> !n.equals(victim)).toList();

      cluster.procs.get(victim).destroyForcibly().waitFor();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("the first fencing attempt fails and is recorded")
          .until(() -> failedFencings(cluster, survivors.getFirst(), victim) >= 1);
      assertThat(cluster.status(survivors.getFirst()).path("warnings").toString())
          .contains("fencing of " + victim + " failed").contains("next attempt at").contains("vigil fence confirm " + victim + " --yes");
      // The backoff (5 s after the first failure) keeps the device from being hammered, and nothing is recovered.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(200))
          .alias("no second attempt right away, svc not recovered")
          .until(() -> failedFencings(cluster, survivors.getFirst(), victim) == 1
              && survivors.stream().noneMatch(n -> Files.exists(OperatorCommandsTest.stateFile(cluster, n))));

      Files.delete(broken); // the PDU answers again: the next attempt fences and the service is recovered
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("svc recovered on a survivor after the retry")
          .until(() -> survivors.stream().filter(n -> Files.exists(OperatorCommandsTest.stateFile(cluster, n))).count() == 1);
      assertThat(cluster.memberState(survivors.getLast(), victim)).isEqualTo("FENCED");
      assertThat(cluster.status(survivors.getLast()).path("warnings").toString()).doesNotContain("fencing of " + victim + " failed");
      assertThat(cluster.cli("fence", "history", victim, "--state-dir", cluster.dirs.get(survivors.getLast()).toString())).isZero();
      assertThat(cluster.lastOutput).contains("reboot of " + victim + " via topology failed: automatic")
          .contains("reboot of " + victim + " via topology succeeded");
    }
  }

  @Test
  void afterFencingMaxAttemptsTheClusterStopsTryingUntilTheOperatorConfirms() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, NODES)) {
      cluster.form();
      System.out.println("daemon logs in " + root);
      Path device = root.resolve("fence-dead.sh");
      Files.writeString(device, "#!/bin/sh\ncat >/dev/null\necho 'pdu unreachable' >&2\nexit 1\n");
      Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rwxr-xr-x"));
      String victim = applyWithFenceScript(cluster, "pdu", device, "fencing-max-attempts: 2, fencing-retry-initial: 1s");
      List<String> survivors = NODES.stream().filter(n -> !n.equals(victim)).toList();
      String dir = cluster.dirs.get(survivors.getFirst()).toString();

      // Apply-time metadata check of a real fence agent: a misspelt parameter is refused and nothing changes.
      Path bad = root.resolve("bad.yaml");
      Files.writeString(bad, Files.readString(root.resolve("cluster.yaml")) + """
            - primitive: dummy
              agent: stonith:fence_dummy
              params: {status_fle: /tmp/x, pcmk_host_list: "a b c"}
          """);
      assertThat(cliWithErr(cluster, "apply", "-f", bad.toString(), "--state-dir", dir)).isEqualTo(1);
      assertThat(lastErr).contains("fence device 'dummy': agent stonith:fence_dummy has no parameter 'status_fle' (did you mean 'status_file'?)")
          .contains("nothing was applied");

      cluster.procs.get(victim).destroyForcibly().waitFor();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("two attempts fail")
          .until(() -> failedFencings(cluster, survivors.getFirst(), victim) >= 2);
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("status says the cluster gave up")
          .until(() -> cluster.status(survivors.getLast()).path("warnings").toString()
              .contains("fencing of " + victim + " gave up after 2 failed attempt(s)"));
      assertThat(cluster.status(survivors.getLast()).path("warnings").toString())
          .contains("vigil fence " + victim + ")").contains("vigil fence confirm " + victim + " --yes");
      // far beyond the 2 s backoff after the second failure: no third attempt, nothing recovered
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).pollInterval(Duration.ofMillis(200))
          .alias("no third attempt, svc not recovered")
          .until(() -> failedFencings(cluster, survivors.getFirst(), victim) == 2
              && survivors.stream().noneMatch(n -> Files.exists(OperatorCommandsTest.stateFile(cluster, n))));
      assertThat(cluster.cli("fence", "history", victim, "--state-dir", dir)).isZero();
      assertThat(cluster.lastOutput).contains("(giving up after 2 attempts: fencing-max-attempts 2)");

      assertThat(cluster.cli("fence", "confirm", victim, "--yes", "--reason", "pulled the plug", "--state-dir", dir))
          .as(cluster.lastOutput).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("svc recovered on a survivor after the confirmation")
          .until(() -> survivors.stream().filter(n -> Files.exists(OperatorCommandsTest.stateFile(cluster, n))).count() == 1);
      assertThat(cluster.status(survivors.getLast()).path("warnings").toString()).doesNotContain("fencing of " + victim);
      assertThat(failedFencings(cluster, survivors.getLast(), victim)).isEqualTo(2);
    }
  }

  /** Applies fencing on, one script fence device for every node and svc (builtin:dummy); returns the node running svc. */
  String applyWithFenceScript(LocalCluster cluster, String deviceName, Path script) throws Exception {
    return applyWithFenceScript(cluster, deviceName, script, "");
  }

  /** The same with more cluster {@code properties} ("key: value, ..."). */
  String applyWithFenceScript(LocalCluster cluster, String deviceName, Path script, String properties) throws Exception {
    Path cfg = root.resolve("cluster.yaml");
    Files.writeString(cfg, """
        cluster: demo
        properties: {fencing-enabled: true%s}
        nodes: [{name: a}, {name: b}, {name: c}]
        resources:
          - primitive: %s
            agent: stonith:script
            params: {path: %s, pcmk_host_list: "a b c"}
          - primitive: svc
            agent: builtin:dummy
            operations: [{name: monitor, interval: 1s}]
        """.formatted(properties.isEmpty() ? "" : ", " + properties, deviceName, script));
    assertThat(cluster.cli("apply", "-f", cfg.toString(), "--reason", "test", "--state-dir", cluster.dirs.get("a").toString())).isZero();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("svc runs on one node")
        .until(() -> OperatorCommandsTest.running(cluster).size() == 1);
    return OperatorCommandsTest.running(cluster).getFirst();
  }

  /** Failed fencing attempts of {@code target} in the replicated history, as {@code viewer} sees it. */
  static long failedFencings(LocalCluster cluster, String viewer, String target) throws Exception {
    JsonNode events = cluster.call(viewer, cluster.json.createObjectNode().put("op", "history").put("limit", 10_000)).path("events");
    long n = 0;
    for (JsonNode e : events) {
      if (e.path("text").asText().startsWith("reboot of " + target + " via topology failed")) n++;
    }
    return n;
  }

  int cliWithErr(LocalCluster cluster, String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true));
    try {
      return cluster.cli(args);
    } finally {
      System.setErr(err);
      lastErr = buf.toString();
      err.print(lastErr);
    }
  }
}
