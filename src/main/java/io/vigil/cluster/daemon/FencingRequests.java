package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.FencingPause;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.NodeStatus;
import io.vigil.model.Suggest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's fencing requests through the running cluster: {@code fencing-pause},
 * {@code fencing-resume} and {@code fence-confirm}. Pauses and confirmations are replicated
 * commands, so they survive a change of leader and show in every node's status and history.
 */
final class FencingRequests {
  /** A forgotten pause must not disable fencing for good (as the fencing engine's {@code Pauses}). */
  static final Duration MAX_PAUSE = Duration.ofDays(7);
  static final List<String> OPS = List.of("fencing-pause", "fencing-resume", "fence-confirm", "fence");
  private final Committer commit;

  FencingRequests(Committer commit) {
    this.commit = commit;
  }

  /** Answers one request of this area, or null if {@code op} is not one. */
  ObjectNode handle(String op, JsonNode req, String author) throws Exception {
    try {
      return switch (op) {
        case "fencing-pause" -> pause(req, author);
        case "fencing-resume" -> resume(req, author);
        case "fence-confirm" -> confirm(req, author);
        case "fence" -> fence(req, author);
        default -> null;
      };
    } catch (Committer.Refused e) {
      return ControlServer.error(e.getMessage() + "; nothing was changed");
    }
  }

  private ObjectNode pause(JsonNode req, String author) throws Exception {
    String node = req.path("node").asText("");
    long secs = req.path("forSeconds").asLong(0);
    String reason = req.path("reason").asText("").strip();
    if (secs < 1 || secs > MAX_PAUSE.toSeconds()) {
      throw new Committer.Refused("pause length " + secs + "s is out of range, expected 1s.." + MAX_PAUSE.toDays() + "d");
    }
    if (reason.isEmpty()) throw new Committer.Refused("a fencing pause needs a reason (--reason \"kernel upgrade\")");
    ClusterState s = commit.readLeaderState();
    if (!node.isEmpty()) knownNodeOrThrow(s, node);
    long now = commit.clock.millis();
    String id = "p" + Long.toString(now, 36);
    long until = now + secs * 1000;
    var r = commit.submit(new Command.PauseFencing(id, node, until, reason, author, now));
    ObjectNode n = Committer.answer(r, "fencing of " + (node.isEmpty() ? "every node" : node) + " paused until "
        + Instant.ofEpochMilli(until) + " (" + id + "; end it early with vigil fencing resume " + id + ")");
    n.put("id", id);
    return n;
  }

  private ObjectNode resume(JsonNode req, String author) throws Exception {
    String id = req.path("id").asText("");
    ClusterState s = commit.readLeaderState();
    List<FencingPause> active = s.activePauses(commit.clock.millis());
    if (active.stream().noneMatch(p -> id.isEmpty() || p.id().equals(id))) {
      throw new Committer.Refused(id.isEmpty() ? "no fencing pause is active"
          : "no active fencing pause '" + id + "'" + Suggest.hint(id, active.stream().map(FencingPause::id).toList()));
    }
    var r = commit.submit(new Command.ResumeFencing(id, author, commit.clock.millis()));
    return Committer.answer(r, "fencing resumed" + (id.isEmpty() ? " (every pause ended)" : " (pause " + id + " ended)"));
  }

  /**
   * The operator vouches that a lost node is down: recorded as a successful fencing with the
   * operator as author, so the node becomes FENCED and its resources are recovered. Refused for a
   * node the cluster still hears (confirming a running node would start its resources twice).
   */
  private ObjectNode confirm(JsonNode req, String author) throws Exception {
    String node = req.path("node").asText("");
    if (!req.path("yes").asBoolean(false)) {
      throw new Committer.Refused("confirming that " + node + " is down needs 'yes' (vigil fence confirm " + node
          + " --yes): if it still runs, its resources will run twice");
    }
    ClusterState s = commit.readLeaderState();
    knownNodeOrThrow(s, node);
    NodeStatus ns = s.status().nodes().get(node);
    NodeState state = ns == null ? null : ns.state();
    if (state == NodeState.FENCED) throw new Committer.Refused("node '" + node + "' is already fenced (since " + Instant.ofEpochMilli(ns.sinceMillis()) + ")");
    if (state != NodeState.LOST) {
      throw new Committer.Refused("node '" + node + "' is " + (state == null ? "not seen yet" : state.name().toLowerCase(java.util.Locale.ROOT))
          + ", not lost: the cluster still hears it; confirm only a node the cluster has lost");
    }
    String reason = req.path("reason").asText("").strip();
    var r = commit.submit(new Command.RecordFencing(node, "operator", "confirm", true, 0,
        "operator confirmed the node is down" + (reason.isEmpty() ? "" : ": " + reason), author, commit.clock.millis()));
    return Committer.answer(r, "node " + node + " recorded as fenced on the word of " + author + "; its resources are recovered");
  }

  /**
   * {@code vigil fence NODE}: an explicit operator request, run from this node through the
   * configuration's topology and recorded in the replicated history (success: the node becomes
   * FENCED). It runs without quorum, as Pacemaker's stonith_admin does; the record then fails and
   * the answer says the node was fenced but not recorded.
   */
  private ObjectNode fence(JsonNode req, String author) throws Exception {
    String node = req.path("node").asText("");
    ClusterState s;
    boolean quorate = true;
    try {
      s = commit.readLeaderState();
    } catch (java.io.IOException e) {
      s = commit.raft.localState();
      quorate = false;
    }
    var config = Committer.configOrThrow(s);
    if (config.node(node).isEmpty()) {
      throw new Committer.Refused("unknown node '" + node + "'" + Suggest.hint(node, config.nodes().stream().map(io.vigil.model.Node::name).toList()));
    }
    String wanted = req.path("action").asText(config.properties().getOrDefault(io.vigil.model.ClusterProperties.FENCING_ACTION));
    io.vigil.fencing.FenceAction action = io.vigil.fencing.FenceAction.parse(wanted)
        .filter(a -> a == io.vigil.fencing.FenceAction.OFF || a == io.vigil.fencing.FenceAction.REBOOT)
        .orElseThrow(() -> new Committer.Refused("fence action '" + wanted + "' through the cluster must be off or reboot "
            + "(power a node on with vigil fence NODE --on -f cluster.yaml)"));
    long secs = req.path("timeoutSeconds").asLong(0);
    java.util.Optional<Duration> timeout = secs > 0 ? java.util.Optional.of(Duration.ofSeconds(secs)) : java.util.Optional.empty();
    String reason = req.path("reason").asText("").strip();
    var op = io.vigil.cluster.coordinator.EngineFencer.operatorFence(config, node, action, author, reason, timeout, commit.clock);
    String devices = op.attempts().stream().filter(a -> op.level().isPresent() && a.level() == op.level().get())
        .map(io.vigil.fencing.topology.FenceAttempt::device).distinct().reduce((x, y) -> x + "+" + y).orElse("topology");
    long ms = Duration.between(op.started(), op.finished()).toMillis();
    ObjectNode n = Committer.JSON.createObjectNode();
    n.put("ok", op.succeeded());
    n.put("summary", op.summary());
    var attempts = n.putArray("attempts");
    op.attempts().forEach(a -> attempts.addObject().put("level", a.level()).put("device", a.device())
        .put("action", a.action().wire()).put("durationMillis", a.duration().toMillis()).put("result", a.result()));
    String recorded;
    try {
      var r = commit.submit(new Command.RecordFencing(node, devices, action.wire(), op.succeeded(), ms,
          "operator request" + (reason.isEmpty() ? "" : ": " + reason), author, commit.clock.millis()));
      recorded = r.accepted() ? "recorded in the cluster's history" : "NOT recorded: " + r.message();
    } catch (java.io.IOException e) {
      recorded = "NOT recorded (" + (quorate ? "" : "no quorum; ") + e.getMessage() + ")";
    }
    n.put("message", (op.succeeded() ? "fenced: " : "FAILED: ") + op.summary() + "; " + recorded);
    if (!op.succeeded()) n.put("error", op.summary() + "; " + recorded);
    return n;
  }

  private static void knownNodeOrThrow(ClusterState s, String node) {
    Set<String> known = new TreeSet<>(s.status().nodes().keySet());
    known.addAll(s.members().keySet());
    if (s.epoch() > 0) {
      try {
        Committer.configOrThrow(s).nodes().forEach(n -> known.add(n.name()));
      } catch (Committer.Refused e) {
        // an unreadable configuration still leaves the members and recorded nodes
      }
    }
    if (!known.contains(node)) throw new Committer.Refused("unknown node '" + node + "'" + Suggest.hint(node, known));
  }
}
