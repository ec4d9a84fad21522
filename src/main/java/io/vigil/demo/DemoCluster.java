package io.vigil.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cluster.daemon.ClusterSetup;
import io.vigil.exec.ControlClient;
import io.vigil.cluster.daemon.StateDir;
import io.vigil.cluster.state.Member;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Forms and drives the demo cluster the way an operator does — {@code cluster init}, a daemon per
 * node, a one-time token and {@code node join} (inside the node's namespace), {@code node add} —
 * and reads it through the nodes' control sockets. Every wait is bounded and names what it waited for.
 */
final class DemoCluster {
  static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DemoLayout layout;
  private final Launcher launcher;

  DemoCluster(DemoLayout layout, Launcher launcher) {
    this.layout = layout;
    this.launcher = launcher;
  }

  /** Creates the cluster on the first node and starts its daemon; returns the daemon's pid. */
  long init() throws IOException, InterruptedException {
    DemoLayout.Node first = layout.nodes().getFirst();
    ClusterSetup.init(first.stateDir(), "demo", first.name(), first.raftAddress(), null, Instant.now());
    return startDaemon(first);
  }

  /** Enrolls {@code n} with a fresh token, starts its daemon and adds it to the Raft group; returns its pid. */
  long join(DemoLayout.Node n) throws IOException, InterruptedException {
    DemoLayout.Node first = layout.nodes().getFirst();
    JsonNode t = call(first, request("token").put("ttlSeconds", 600));
    String token = t.path("token").asText();
    if (layout.mode() == DemoLayout.Mode.NETNS) {
      // The enrollment address is inside the first node's namespace: join from the new node's own.
      List<String> args = List.of("node", "join", "--token", token, "--node", n.name(), "--address", n.raftAddress(),
          "--state-dir", n.stateDir().toString());
      Process p = launcher.cli(n.namespace(), args, n.log().toFile());
      if (!p.waitFor(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("node join of " + n.name() + " failed; see " + n.log());
      }
    } else {
      ClusterSetup.join(n.stateDir(), token, n.name(), n.raftAddress(), Member.Role.VOTER);
    }
    long pid = startDaemon(n);
    call(first, request("node-add").put("name", n.name()).put("address", n.raftAddress()).put("listener", false));
    return pid;
  }

  private long startDaemon(DemoLayout.Node n) throws IOException, InterruptedException {
    Files.createDirectories(n.runDir());
    Process p = launcher.daemon(n);
    await("the daemon of " + n.name() + " answers on its control socket (log: " + n.log() + ")",
        () -> p.isAlive() && status(n).path("ok").asBoolean(), () -> !p.isAlive());
    return p.pid();
  }

  /** Waits until every node in {@code alive} sees all members and the same leader among {@code alive}; returns it. */
  String awaitLeader(List<DemoLayout.Node> alive) throws IOException, InterruptedException {
    String[] leader = new String[1];
    await("nodes " + names(alive) + " agree on a leader", () -> (leader[0] = agreedLeader(alive)) != null, () -> false);
    return leader[0];
  }

  private String agreedLeader(List<DemoLayout.Node> alive) {
    TreeSet<String> leaders = new TreeSet<>();
    for (DemoLayout.Node n : alive) {
      JsonNode s = status(n);
      if (!s.path("ok").asBoolean() || s.path("members").size() != layout.nodes().size()) return null;
      leaders.add(s.path("leader").asText());
    }
    return leaders.size() == 1 && names(alive).contains(leaders.first()) ? leaders.first() : null;
  }

  /** Applies the configuration text through {@code via}; returns the new epoch. */
  long apply(DemoLayout.Node via, String yaml) throws IOException {
    JsonNode r = call(via, request("apply").put("yaml", yaml).put("file", layout.configFile().toString())
        .put("reason", "vigil demo"));
    return r.path("epoch").asLong();
  }

  /** The single node where {@code instance} runs according to {@code viewer}, if exactly one. */
  Optional<String> runningOn(DemoLayout.Node viewer, String instance) {
    for (JsonNode r : status(viewer).path("resources")) {
      if (r.path("instance").asText().equals(instance) && r.path("runningOn").size() == 1) {
        return Optional.of(r.path("runningOn").fieldNames().next());
      }
    }
    return Optional.empty();
  }

  /** History events since {@code sinceMillis}, as {@code viewer} has them. */
  List<FailoverTimeline.ClusterEvent> history(DemoLayout.Node viewer, long sinceMillis) throws IOException {
    JsonNode r = call(viewer, request("history").put("limit", 2000).put("since", sinceMillis));
    List<FailoverTimeline.ClusterEvent> out = new ArrayList<>();
    for (JsonNode e : r.path("events")) {
      out.add(new FailoverTimeline.ClusterEvent(e.path("timeMillis").asLong(), e.path("kind").asText(), e.path("node").asText(),
          e.path("resource").asText(), e.path("text").asText()));
    }
    return out;
  }

  JsonNode status(DemoLayout.Node n) {
    try {
      return new ControlClient(StateDir.socket(n.stateDir())).call(request("status"));
    } catch (IOException e) {
      return JSON.createObjectNode().put("ok", false).put("error", e.getMessage());
    }
  }

  private JsonNode call(DemoLayout.Node n, ObjectNode req) throws IOException {
    JsonNode r;
    try {
      r = new ControlClient(StateDir.socket(n.stateDir())).call(req);
    } catch (IOException e) {
      throw new IOException(req.path("op").asText() + " on " + n.name() + ": " + e.getMessage() + tail(n.log()), e);
    }
    if (!r.path("ok").asBoolean()) {
      throw new IOException(req.path("op").asText() + " on " + n.name() + " failed: " + r.path("error").asText(r.toString()));
    }
    return r;
  }

  /** The last lines of a daemon's log, for an error that would otherwise say only "no answer". */
  private static String tail(java.nio.file.Path log) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(log);
      return "; last lines of " + log + ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static ObjectNode request(String op) {
    return JSON.createObjectNode().put("op", op);
  }

  private static List<String> names(List<DemoLayout.Node> nodes) {
    return nodes.stream().map(DemoLayout.Node::name).toList();
  }

  /** Polls {@code done} every 50 ms for at most {@link #WAIT}; fails at once when {@code hopeless}. */
  static void await(String what, BooleanSupplier done, BooleanSupplier hopeless) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (hopeless.getAsBoolean()) throw new IOException("gave up waiting until " + what);
      if (System.nanoTime() > deadline) throw new IOException("timed out after " + WAIT.toSeconds() + " s waiting until " + what);
      Thread.sleep(50);
    }
  }
}
