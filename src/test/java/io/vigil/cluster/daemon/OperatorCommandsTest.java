package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands through three real daemons: {@code vigil resource stop|start|restart|cleanup},
 * {@code cluster maintenance}, {@code move --lifetime}, and {@code agent run}'s refusal; bad requests
 * (unknown names, stale epoch, no quorum) change nothing. The resource is the built-in dummy, whose
 * state file shows where it really runs.
 */
@Tag("slow")
class OperatorCommandsTest {
  static final List<String> NODES = List.of("a", "b", "c");
  static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;
  String lastErr = "";

  @Test
  void operatorCommandsActOnTheRunningClusterAndBadRequestsChangeNothing() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, NODES)) {
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
              operations: [{name: monitor, interval: 1s}]
          """);
      String dirA = cluster.dirs.get("a").toString();
      assertThat(cluster.cli("apply", "-f", cfg.toString(), "--reason", "test", "--state-dir", dirA)).isZero();
      awaitRunning(cluster, on -> on.size() == 1, "svc runs on one node");

      // apply checks OCF agents installed on the receiving node against their meta-data: a missing
      // required parameter is refused, naming it, and nothing changes; an agent not installed there
      // is a warning (the nodes that lack it say so when they probe).
      long applied = cluster.status("a").path("epoch").asLong();
      String withBadAgent = Files.readString(cfg) + """
            - primitive: bad
              agent: ocf:heartbeat:anything
              params: {cmdline_options: "-c true"}
          """;
      JsonNode refused = cluster.call("a", applyRequest(withBadAgent, applied, false));
      assertThat(refused.path("ok").asBoolean()).as(refused.toString()).isFalse();
      assertThat(refused.path("problems").toString()).contains("resource 'bad': agent ocf:heartbeat:anything requires parameter 'binfile'");
      assertThat(cluster.status("b").path("epoch").asLong()).isEqualTo(applied);
      JsonNode elsewhere = cluster.call("a", applyRequest(Files.readString(cfg) + """
            - primitive: elsewhere
              agent: ocf:nowhere:thing
          """, applied, true));
      assertThat(elsewhere.path("ok").asBoolean()).as(elsewhere.toString()).isTrue();
      assertThat(elsewhere.path("problems").toString()).contains("agent ocf:nowhere:thing is not installed on a");

      // stop / start: target-role, and the dummy really stops and starts.
      long epoch = cluster.status("a").path("epoch").asLong();
      assertThat(cluster.cli("resource", "stop", "svc", "--state-dir", dirA)).isZero();
      awaitRunning(cluster, List::isEmpty, "svc stopped everywhere");
      assertThat(cluster.status("b").path("epoch").asLong()).isEqualTo(epoch + 1);
      assertThat(resourceLine(cluster, "b").path("targetRole").asText()).isEqualTo("Stopped");
      assertThat(cluster.cli("resource", "start", "svc", "--state-dir", dirA)).isZero();
      awaitRunning(cluster, on -> on.size() == 1, "svc started again");

      // restart: the stop is confirmed in the replicated status before the start.
      long before = lastSeq(cluster);
      assertThat(cluster.cli("resource", "restart", "svc", "--timeout", "60s", "--state-dir", cluster.dirs.get("c").toString()))
          .as(cluster.lastOutput).isZero();
      assertThat(cluster.lastOutput).contains("restarted svc: stop confirmed");
      awaitRunning(cluster, on -> on.size() == 1, "svc runs after the restart");
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("history shows the stop, then the start")
          .untilAsserted(() -> {
            List<String> texts = svcEventsAfter(cluster, before);
            int stop = texts.indexOf("stop rc 0");
            assertThat(stop).as(texts.toString()).isNotNegative();
            assertThat(texts.subList(stop, texts.size())).as(texts.toString()).contains("start rc 0");
          });

      // cleanup: a failed monitor raises the fail count; cleanup resets it and the resource is probed again.
      String node = running(cluster).getFirst();
      Files.delete(stateFile(cluster, node));
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("the failed monitor is counted")
          .until(() -> resourceLine(cluster, "a").path("failCounts").path(node).asInt() == 1);
      awaitRunning(cluster, on -> on.size() == 1, "svc recovered after its failure");
      long beforeCleanup = lastSeq(cluster);
      assertThat(cluster.cli("resource", "cleanup", "svc", "--node", node, "--state-dir", dirA)).as(cluster.lastOutput).isZero();
      // (the recovery's own "start rc 0" may be committed just after beforeCleanup was read)
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("fail count reset and svc re-probed after the cleanup")
          .until(() -> {
            List<String> after = svcEventsAfter(cluster, beforeCleanup);
            int cleanup = indexOfPrefix(after, "cleanup of svc");
            return resourceLine(cluster, "a").path("failCounts").isEmpty() && cleanup >= 0
                && after.subList(cleanup, after.size()).stream().anyMatch(t -> t.startsWith("monitor rc"));
          });
      awaitRunning(cluster, on -> on.size() == 1, "svc still runs once after the cleanup");

      // cluster maintenance: the property is written and the resource is unmanaged, then managed again.
      assertThat(cluster.cli("cluster", "maintenance", "on", "--state-dir", dirA)).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("svc unmanaged")
          .until(() -> !resourceLine(cluster, "b").path("managed").asBoolean(true));
      assertThat(cluster.cli("cluster", "maintenance", "on", "--state-dir", dirA)).isEqualTo(1);
      assertThat(cluster.cli("cluster", "maintenance", "off", "--state-dir", dirA)).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("svc managed again")
          .until(() -> resourceLine(cluster, "b").path("managed").asBoolean(false));

      // move/ban with a lifetime: the written rule, and status lists the expiry (and marks an expired one).
      String from = running(cluster).getFirst();
      String to = NODES.stream().filter(n -> !n.equals(from)).findFirst().orElseThrow();
      assertThat(cluster.cli("resource", "move", "svc", to, "--lifetime", "1h", "--state-dir", dirA)).isZero();
      String yaml = config(cluster, "a");
      assertThat(yaml).contains("location: cli-prefer-svc").contains("'#uname'").contains("value: " + to).contains("date: lt");
      assertThat(cluster.status("a").path("warnings").toString()).contains("svc moved to " + to + " until ").contains("left");
      assertThat(cluster.cli("resource", "ban", "svc", from, "--lifetime", "1s", "--state-dir", dirA)).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("the 1 s ban is shown expired")
          .until(() -> cluster.status("a").path("warnings").toString().contains("svc banned from " + from + " (EXPIRED at "));
      assertThat(cluster.cli("status", "--state-dir", dirA)).isZero();
      assertThat(cluster.lastOutput).contains("warning: svc moved to " + to + " until ");
      assertThat(cluster.cli("resource", "clear", "svc", "--state-dir", dirA)).isZero();
      assertThat(cluster.status("a").path("warnings").size()).isZero();

      // agent run refuses to act on a resource the local cluster manages, and says why.
      assertThat(cliWithErr(cluster, "agent", "run", "svc", "start", "-f", cfg.toString(), "--state-dir", dirA)).isEqualTo(2);
      assertThat(lastErr).contains("refusing to start 'svc'").contains("manages it").contains("--force");
      assertThat(cliWithErr(cluster, "agent", "run", "svc", "monitor", "-f", cfg.toString(), "--state-dir", dirA)).isNotEqualTo(2);

      // Bad requests change nothing.
      long e = cluster.status("a").path("epoch").asLong();
      assertThat(cliWithErr(cluster, "resource", "stop", "svcc", "--state-dir", dirA)).isEqualTo(1);
      assertThat(lastErr).contains("unknown resource 'svcc' (did you mean 'svc'?)").contains("nothing was changed");
      assertThat(cluster.cli("resource", "cleanup", "svc", "--node", "zz", "--state-dir", dirA)).isEqualTo(1);
      assertThat(cluster.cli("resource", "move", "svc", "zz", "--lifetime", "1h", "--state-dir", dirA)).isEqualTo(1);
      JsonNode stale = cluster.call("a", cluster.json.createObjectNode().put("op", "resource-stop").put("resource", "svc")
          .put("expectedEpoch", e - 1));
      assertThat(stale.path("ok").asBoolean()).isFalse();
      assertThat(stale.path("error").asText()).contains("configuration changed meanwhile");
      assertThat(cluster.status("a").path("epoch").asLong()).isEqualTo(e);
      awaitRunning(cluster, on -> on.size() == 1, "svc still runs once");

      // A configuration that removes a running resource is refused (the cluster could not stop it
      // any more) and changes nothing.
      String withExtra = Files.readString(cfg) + """
            - primitive: extra
              agent: builtin:dummy
          """;
      assertThat(cluster.call("a", applyRequest(withExtra, cluster.status("a").path("epoch").asLong(), false)).path("ok").asBoolean()).isTrue();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("extra runs")
          .until(() -> NODES.stream().anyMatch(n -> Files.exists(cluster.dirs.get(n).resolve("builtin").resolve("dummy-extra.state"))));
      awaitRunning(cluster, on -> on.size() == 1, "svc still runs once");
      long withExtraEpoch = cluster.status("a").path("epoch").asLong();
      JsonNode removing = cluster.call("a", applyRequest(Files.readString(cfg), withExtraEpoch, false));
      assertThat(removing.path("ok").asBoolean()).as(removing.toString()).isFalse();
      assertThat(removing.path("error").asText()).contains("removes 1 resource(s) that are still active: extra on ")
          .contains("Set target-role: Stopped on them").contains("nothing was applied");
      assertThat(cluster.status("b").path("epoch").asLong()).isEqualTo(withExtraEpoch);
      // apply --stop-removed does the documented steps: target-role Stopped, wait, then the removal.
      Files.writeString(root.resolve("without-extra.yaml"), Files.readString(cfg));
      assertThat(cluster.cli("apply", "-f", root.resolve("without-extra.yaml").toString(), "--stop-removed", "--wait", "60s",
          "--reason", "remove extra", "--state-dir", dirA)).as(cluster.lastOutput).isZero();
      assertThat(cluster.lastOutput).contains("stopping extra before removing it").contains("applied: configuration epoch");
      assertThat(NODES.stream().noneMatch(n -> Files.exists(cluster.dirs.get(n).resolve("builtin").resolve("dummy-extra.state"))))
          .as("extra stopped before it was removed").isTrue();
      assertThat(config(cluster, "a")).doesNotContain("extra");
      awaitRunning(cluster, on -> on.size() == 1, "svc still runs once");

      // Without quorum: refused with the reason, nothing changes.
      long beforeQuorumLoss = cluster.status("a").path("epoch").asLong();
      cluster.procs.get("b").destroyForcibly().waitFor();
      cluster.procs.get("c").destroyForcibly().waitFor();
      long t0 = System.nanoTime();
      assertThat(cliWithErr(cluster, "resource", "stop", "svc", "--state-dir", dirA)).isEqualTo(1);
      System.out.println("no-quorum refusal took " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + lastErr.strip());
      assertThat(lastErr).contains("no leader with a quorum").contains("nothing was changed");
      assertThat(cluster.status("a").path("epoch").asLong()).isEqualTo(beforeQuorumLoss);
    }
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

  static Path stateFile(LocalCluster cluster, String node) {
    return cluster.dirs.get(node).resolve("builtin").resolve("dummy-svc.state");
  }

  static List<String> running(LocalCluster cluster) {
    return NODES.stream().filter(n -> Files.exists(stateFile(cluster, n))).toList();
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode applyRequest(String yaml, long expectedEpoch, boolean dryRun) {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("op", "apply").put("yaml", yaml)
        .put("file", "cluster.yaml").put("expectedEpoch", expectedEpoch).put("dryRun", dryRun).put("reason", "test");
  }

  static void awaitRunning(LocalCluster cluster, Predicate<List<String>> ok, String what) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias(what).until(() -> ok.test(running(cluster)));
  }

  static JsonNode resourceLine(LocalCluster cluster, String viewer) {
    for (JsonNode r : cluster.status(viewer).path("resources")) if (r.path("instance").asText().equals("svc")) return r;
    return cluster.json.createObjectNode();
  }

  static String config(LocalCluster cluster, String node) throws Exception {
    return cluster.call(node, cluster.json.createObjectNode().put("op", "config")).path("yaml").asText();
  }

  static JsonNode history(LocalCluster cluster) throws Exception {
    return cluster.call("a", cluster.json.createObjectNode().put("op", "history").put("limit", 10_000)).path("events");
  }

  static long lastSeq(LocalCluster cluster) throws Exception {
    long seq = 0;
    for (JsonNode e : history(cluster)) seq = Math.max(seq, e.path("seq").asLong());
    return seq;
  }

  static List<String> svcEventsAfter(LocalCluster cluster, long seq) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode e : history(cluster)) {
      if (e.path("seq").asLong() > seq && e.path("resource").asText().equals("svc")) out.add(e.path("text").asText());
    }
    return out;
  }

  private static int indexOfPrefix(List<String> texts, String prefix) {
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).startsWith(prefix)) return i;
    }
    return -1;
  }
}
