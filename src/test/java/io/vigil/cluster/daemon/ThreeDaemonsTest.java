package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three vigild processes on loopback form a cluster over mutual TLS (init, token, join, node add),
 * lose their leader to kill -9, are all restarted, and keep configuration and history throughout.
 */
@Tag("slow")
class ThreeDaemonsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> NAMES = List.of("a", "b", "c");
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Process> procs = new HashMap<>();
  private final Map<String, Path> dirs = new HashMap<>();
  private final Map<String, String> addresses = new HashMap<>();
  @TempDir Path tmp;

  @AfterEach
  void killAll() {
    for (Process p : procs.values()) p.destroyForcibly();
    for (Process p : procs.values()) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private int cli(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    try {
      int rc = TestVigil.commandLine().execute(args);
      lastOutput = buf.toString();
      return rc;
    } finally {
      System.setOut(out);
    }
  }

  private String lastOutput = "";

  private JsonNode call(String node, ObjectNode req) throws IOException {
    return new ControlClient(StateDir.socket(dirs.get(node))).call(req);
  }

  private JsonNode status(String node) {
    try {
      ObjectNode req = json.createObjectNode().put("op", "status");
      return call(node, req);
    } catch (IOException e) {
      return json.createObjectNode().put("ok", false).put("error", e.getMessage());
    }
  }

  private void start(String node) throws IOException {
    procs.put(node, Daemons.start(dirs.get(node), node));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .alias("daemon " + node + " answers on its control socket; log:\n" + Daemons.log(dirs.get(node), node))
        .until(() -> status(node).path("ok").asBoolean());
  }

  private void awaitAgreement(List<String> alive, int members) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("nodes " + alive + " agree on a leader").until(() -> {
      TreeSet<String> leaders = new TreeSet<>();
      for (String n : alive) {
        JsonNode s = status(n);
        if (!s.path("ok").asBoolean() || s.path("members").size() != members) return false;
        leaders.add(s.path("leader").asText());
      }
      return leaders.size() == 1 && alive.contains(leaders.first());
    });
  }

  private void awaitEpoch(List<String> alive, long epoch) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("nodes " + alive + " reach epoch " + epoch)
        .until(() -> alive.stream().allMatch(n -> status(n).path("epoch").asLong() == epoch));
  }

  private Path config(String name) throws IOException {
    Path f = tmp.resolve(name + ".yaml");
    Files.writeString(f, """
        cluster: demo
        nodes:
          - name: a
          - name: b
          - name: c
        resources:
          - primitive: %s
            agent: ocf:heartbeat:Dummy
        """.formatted(name));
    return f;
  }

  @Test
  void clusterSurvivesLeaderKillAndFullRestartAndRefusesStaleApply() throws Exception {
    for (String n : NAMES) {
      dirs.put(n, tmp.resolve(n));
      addresses.put(n, "127.0.0.1:" + Daemons.freePortPair());
    }
    assertThat(cli("cluster", "init", "--name", "demo", "--node", "a", "--address", addresses.get("a"),
        "--state-dir", dirs.get("a").toString())).isZero();
    start("a");
    awaitAgreement(List.of("a"), 1);
    for (String n : List.of("b", "c")) {
      assertThat(cli("cluster", "token", "--ttl", "10m", "--state-dir", dirs.get("a").toString())).isZero();
      String token = lastOutput.trim();
      assertThat(cli("node", "join", "--token", token, "--node", n, "--address", addresses.get(n),
          "--state-dir", dirs.get(n).toString())).isZero();
      // A token works once.
      assertThat(cli("node", "join", "--token", token, "--node", "x" + n, "--address", "127.0.0.1:1",
          "--state-dir", tmp.resolve("x" + n).toString())).isNotZero();
      start(n);
      assertThat(cli("node", "add", n, addresses.get(n), "--state-dir", dirs.get("a").toString())).isZero();
    }
    awaitAgreement(NAMES, 3);

    // Real TLS clients against a's Raft port: a cluster certificate is served, a self-signed one refused.
    var creds = io.vigil.cluster.security.NodeCredentials.load(dirs.get("b"));
    String[] hp = addresses.get("a").split(":");
    assertThat(io.vigil.cluster.raft.TlsProbe.talk(hp[0], Integer.parseInt(hp[1]), creds.ca(), creds.key(), creds.certificate()))
        .isPositive();
    var mallory = io.vigil.cluster.security.ClusterCa.create("mallory", java.time.Instant.now());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.vigil.cluster.raft.TlsProbe.talk(hp[0], Integer.parseInt(hp[1]),
        creds.ca(), mallory.key(), mallory.certificate())).isInstanceOf(IOException.class);

    assertThat(cli("apply", "-f", config("first").toString(), "--reason", "first", "--state-dir", dirs.get("b").toString())).isZero();
    awaitEpoch(NAMES, 1);
    // Someone else's apply at epoch 0 is now stale.
    assertThat(cli("apply", "-f", config("stale").toString(), "--expect-epoch", "0", "--state-dir", dirs.get("c").toString())).isEqualTo(1);
    awaitEpoch(NAMES, 1);

    String leader = status("a").path("leader").asText();
    long killedAt = System.nanoTime();
    procs.remove(leader).destroyForcibly().waitFor();
    List<String> survivors = new ArrayList<>(NAMES);
    survivors.remove(leader);
    awaitAgreement(survivors, 3);
    long electedMs = (System.nanoTime() - killedAt) / 1_000_000;
    assertThat(status(survivors.get(0)).path("leader").asText()).isNotEqualTo(leader);
    // The new leader records the killed node as lost in the replicated status.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
      for (JsonNode m : status(survivors.get(0)).path("members")) {
        if (m.path("name").asText().equals(leader)) return m.path("state").asText().equals("LOST");
      }
      return false;
    });
    long lostMs = (System.nanoTime() - killedAt) / 1_000_000;
    System.out.printf("MEASURED kill -9 of leader %s: new leader agreed after %d ms, marked LOST after %d ms%n", leader, electedMs, lostMs);
    assertThat(cli("apply", "-f", config("second").toString(), "--state-dir", dirs.get(survivors.get(0)).toString())).isZero();
    awaitEpoch(survivors, 2);

    start(leader);
    awaitEpoch(NAMES, 2);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      for (JsonNode m : status(survivors.get(0)).path("members")) {
        if (m.path("name").asText().equals(leader)) return m.path("state").asText().equals("ONLINE");
      }
      return false;
    });
    for (String n : NAMES) {
      Process p = procs.remove(n);
      p.destroy();
      p.waitFor();
    }
    for (String n : NAMES) procs.put(n, Daemons.start(dirs.get(n), n));
    for (String n : NAMES) {
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> status(n).path("ok").asBoolean());
    }
    awaitAgreement(NAMES, 3);
    awaitEpoch(NAMES, 2);
    JsonNode history = call("c", json.createObjectNode().put("op", "history").put("limit", 1000));
    List<String> texts = new ArrayList<>();
    history.path("events").forEach(e -> texts.add(e.path("text").asText()));
    assertThat(texts).anyMatch(t -> t.contains("configuration epoch 1: first")).anyMatch(t -> t.contains("configuration epoch 2"));
    assertThat(texts).anyMatch(t -> t.contains("member added"));
    assertThat(Files.getPosixFilePermissions(StateDir.socket(dirs.get("a"))))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }
}
