package io.vigil.cluster.daemon;

import io.vigil.exec.ControlClient;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * N vigild processes on loopback formed the way an operator does it (init, token, join, start,
 * node add), for tests and the failover benchmark. {@link #close} kills every process.
 */
final class LocalCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);
  final ObjectMapper json = new ObjectMapper();
  final Map<String, Process> procs = new HashMap<>();
  final Map<String, Path> dirs = new HashMap<>();
  final Map<String, String> addresses = new HashMap<>();
  /** Extra {@code vigil daemon run} arguments per node (e.g. --api). */
  final Map<String, List<String>> daemonArgs = new HashMap<>();
  final List<String> names;
  String lastOutput = "";

  LocalCluster(Path root, List<String> names) throws IOException {
    this.names = List.copyOf(names);
    for (String n : names) {
      dirs.put(n, root.resolve(n));
      addresses.put(n, "127.0.0.1:" + Daemons.freePortPair());
    }
  }

  /** Runs a vigil command in this JVM, capturing its standard output in {@link #lastOutput}. */
  int cli(String... args) {
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

  JsonNode call(String node, ObjectNode req) throws IOException {
    return new ControlClient(StateDir.socket(dirs.get(node))).call(req);
  }

  JsonNode status(String node) {
    try {
      return call(node, json.createObjectNode().put("op", "status"));
    } catch (IOException e) {
      return json.createObjectNode().put("ok", false).put("error", e.getMessage());
    }
  }

  /** The state a member has in {@code viewer}'s status, or "" if absent. */
  String memberState(String viewer, String member) {
    for (JsonNode m : status(viewer).path("members")) {
      if (m.path("name").asText().equals(member)) return m.path("state").asText();
    }
    return "";
  }

  void start(String node) throws IOException {
    procs.put(node, Daemons.start(dirs.get(node), node, daemonArgs.getOrDefault(node, List.of()).toArray(String[]::new)));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
        .alias("daemon " + node + " answers on its control socket")
        .until(() -> status(node).path("ok").asBoolean());
  }

  /** init on the first node, then token + join + start + node add for the others. */
  void form() throws IOException {
    String first = names.getFirst();
    check(cli("cluster", "init", "--name", "demo", "--node", first, "--address", addresses.get(first),
        "--state-dir", dirs.get(first).toString()), "cluster init");
    start(first);
    awaitAgreement(List.of(first), 1);
    for (String n : names.subList(1, names.size())) {
      check(cli("cluster", "token", "--ttl", "10m", "--state-dir", dirs.get(first).toString()), "cluster token");
      String token = lastOutput.trim();
      check(cli("node", "join", "--token", token, "--node", n, "--address", addresses.get(n),
          "--state-dir", dirs.get(n).toString()), "node join");
      start(n);
      // On a very loaded machine a fresh daemon can take longer to catch up than one reconfiguration's
      // patience (RaftNode.RECONF_PATIENCE); the failed add is undone, so it is simply tried once more.
      int rc = cli("node", "add", n, addresses.get(n), "--state-dir", dirs.get(first).toString());
      if (rc != 0) rc = cli("node", "add", n, addresses.get(n), "--state-dir", dirs.get(first).toString());
      check(rc, "node add");
    }
    awaitAgreement(names, names.size());
  }

  private static void check(int rc, String what) {
    if (rc != 0) throw new IllegalStateException(what + " failed with exit code " + rc);
  }

  /** Waits until every node in {@code alive} sees {@code members} members and the same live leader. */
  void awaitAgreement(List<String> alive, int members) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("nodes " + alive + " agree on a leader")
        .until(() -> agreedLeader(alive, members) != null);
  }

  /** The leader all of {@code alive} agree on, or null. */
  String agreedLeader(List<String> alive, int members) {
    TreeSet<String> leaders = new TreeSet<>();
    for (String n : alive) {
      JsonNode s = status(n);
      if (!s.path("ok").asBoolean() || s.path("members").size() != members) return null;
      leaders.add(s.path("leader").asText());
    }
    return leaders.size() == 1 && alive.contains(leaders.first()) ? leaders.first() : null;
  }

  void awaitEpoch(List<String> alive, long epoch) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("nodes " + alive + " reach epoch " + epoch)
        .until(() -> alive.stream().allMatch(n -> status(n).path("epoch").asLong() == epoch));
  }

  @Override
  public void close() {
    for (Process p : procs.values()) p.destroyForcibly();
    for (Process p : procs.values()) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    procs.clear();
    // the links to /usr/sbin in each daemon's agent-sbin (AgentToolsDir): removed here, so the
    // temporary directory's cleanup has nothing outside it to warn about
    for (Path d : dirs.values()) {
      try (var links = java.nio.file.Files.list(d.resolve("agent-sbin"))) {
        for (Path l : links.toList()) java.nio.file.Files.deleteIfExists(l);
      } catch (IOException e) {
        // never started, or already gone
      }
    }
    // the killed daemons' resource cgroups (ResourceCgroups), once their supervisors killed what was in them
    try {
      for (var e : dirs.entrySet()) {
        io.vigil.exec.ResourceCgroups.removeEmpty(io.vigil.exec.ResourceCgroups.nameFor(e.getKey(), e.getValue()), Duration.ofSeconds(3));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
