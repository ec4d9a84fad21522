package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cluster.raft.GroupInfo;
import io.vigil.cluster.raft.Peer;
import io.vigil.cluster.raft.RaftNode;
import io.vigil.cluster.security.JoinTokens;
import io.vigil.cluster.security.NodeCredentials;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Event;
import io.vigil.cluster.state.JoinToken;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.NodeStatus;
import io.vigil.cluster.state.Result;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.config.Problem;
import io.vigil.model.ClusterConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The requests the control socket serves: {@code status}, {@code apply}, {@code history},
 * {@code token}, {@code node-add}, {@code node-remove}. Each validates its input and answers
 * {@code ok:false} with a reason rather than changing anything on bad input.
 */
final class ControlApi implements ControlServer.Handler {
  private static final long SUBMIT_TIMEOUT_SECONDS = 15;
  private final ObjectMapper json = new ObjectMapper();
  private final NodeIdentity id;
  private final NodeCredentials creds;
  private final RaftNode raft;
  private final LivenessDriver liveness;
  private final Clock clock;

  ControlApi(NodeIdentity id, NodeCredentials creds, RaftNode raft, LivenessDriver liveness, Clock clock) {
    this.id = id;
    this.creds = creds;
    this.raft = raft;
    this.liveness = liveness;
    this.clock = clock;
  }

  @Override
  public ObjectNode handle(JsonNode req, String user) throws Exception {
    String op = req == null ? "" : req.path("op").asText("");
    String author = user + "@" + id.node();
    return switch (op) {
      case "status" -> status();
      case "apply" -> apply(req, author);
      case "history" -> history(req);
      case "token" -> token(req, author);
      case "node-add" -> nodeAdd(req, author);
      case "node-remove" -> nodeRemove(req, author);
      case "resource-move", "resource-ban", "resource-clear" -> resourceEdit(op, req, author);
      case "node-state" -> nodeState(req, author);
      default -> ControlServer.error("unknown request '" + op + "', expected one of status, apply, history, token, "
          + "node-add, node-remove, resource-move, resource-ban, resource-clear, node-state");
    };
  }

  private ObjectNode ok() {
    ObjectNode n = json.createObjectNode();
    n.put("ok", true);
    return n;
  }

  private Result submit(Command c) throws IOException, InterruptedException {
    try {
      return raft.submit(c).get(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("not committed: no leader with a quorum could be reached from " + id.node()
          + " (is a majority of the voters up?); nothing was changed", e);
    }
  }

  private ClusterState readLeaderState() throws IOException {
    try {
      return raft.readState();
    } catch (IOException e) {
      throw new IOException("cannot read the current configuration: no leader with a quorum could be reached from "
          + id.node() + " (is a majority of the voters up?); nothing was changed", e);
    }
  }

  private ObjectNode status() throws IOException {
    GroupInfo g = raft.info();
    ClusterState s = raft.localState();
    ObjectNode n = ok();
    n.put("cluster", id.cluster());
    n.put("node", id.node());
    n.put("leader", g.leader());
    n.put("role", g.role());
    n.put("term", g.term());
    n.put("appliedIndex", g.lastAppliedIndex());
    n.put("epoch", s.epoch());
    n.put("version", s.version());
    n.put("configAuthor", s.config().author());
    n.put("configTime", s.config().timeMillis());
    List<Peer> voters = g.peers().stream().filter(p -> p.role() == Member.Role.VOTER).toList();
    ObjectNode q = n.putObject("quorum");
    q.put("voters", voters.size());
    q.put("needed", voters.size() / 2 + 1);
    q.put("hasQuorum", liveness.hasQuorum());
    n.put("nodeTimeoutMillis", liveness.nodeTimeout().toMillis());
    ArrayNode pauses = n.putArray("fencingPauses");
    for (var p : s.activePauses(clock.millis())) {
      pauses.addObject().put("id", p.id()).put("node", p.node().isEmpty() ? "*" : p.node())
          .put("untilMillis", p.untilMillis()).put("reason", p.reason()).put("author", p.author());
    }
    ArrayNode members = n.putArray("members");
    for (Peer p : g.peers()) {
      ObjectNode m = members.addObject();
      m.put("name", p.name());
      m.put("address", p.address());
      m.put("role", p.role().name());
      NodeStatus ns = s.status().nodes().get(p.name());
      m.put("state", ns == null ? "UNKNOWN" : ns.state().name());
      Long silence = g.silenceMillis().get(p.name());
      if (silence != null) m.put("silenceMillis", silence);
      m.put("leader", p.name().equals(g.leader()));
    }
    resources(n, s);
    return n;
  }

  /** Where each resource runs, from the same view the coordinator schedules from. */
  private void resources(ObjectNode n, ClusterState s) {
    if (s.epoch() == 0) return;
    var loaded = new io.vigil.config.ConfigLoader(io.vigil.config.AgentCatalog.NONE).check(s.config().yaml(), "epoch-" + s.epoch());
    if (loaded.config().isEmpty()) return;
    var view = io.vigil.cluster.coordinator.ResourceView.of(s, loaded.config().get(), liveness.hasQuorum(), clock.instant());
    n.put("pendingActions", view.pendingActions());
    n.put("runningActions", view.runningActions());
    ArrayNode rs = n.putArray("resources");
    for (var line : view.resources()) {
      ObjectNode r = rs.addObject();
      r.put("instance", line.instance());
      r.put("agent", line.agent());
      ObjectNode on = r.putObject("runningOn");
      line.runningOn().forEach(on::put);
      r.put("target", line.target());
      r.put("targetRole", line.targetRole());
      r.put("failed", line.failed());
      r.put("managed", line.managed());
      if (!line.reason().isEmpty()) r.put("reason", line.reason());
      ObjectNode f = r.putObject("failCounts");
      line.failCounts().forEach(f::put);
    }
    ArrayNode u = n.putArray("unsupported");
    view.unsupported().forEach(u::add);
    ArrayNode w = n.putArray("warnings");
    io.vigil.cluster.coordinator.OperatorEdits.inForce(loaded.config().get()).forEach(w::add);
  }

  private ObjectNode apply(JsonNode req, String author) throws Exception {
    String yaml = req.path("yaml").asText(null);
    if (yaml == null) return ControlServer.error("apply needs the configuration text in 'yaml'");
    String file = req.path("file").asText("cluster.yaml");
    ConfigLoader.Result checked = new ConfigLoader(AgentCatalog.NONE).check(yaml, file);
    ObjectNode n = json.createObjectNode();
    ArrayNode problems = n.putArray("problems");
    for (Problem p : checked.problems()) problems.add(p.toString());
    if (!checked.valid()) {
      n.put("ok", false);
      n.put("error", file + ": invalid configuration (" + checked.errors().size() + " error(s)); nothing was applied");
      return n;
    }
    ClusterState s = readLeaderState();
    long expected = req.has("expectedEpoch") ? req.get("expectedEpoch").asLong() : s.epoch();
    ClusterConfig current = s.config().yaml().isEmpty() ? null
        : new ConfigLoader(AgentCatalog.NONE).check(s.config().yaml(), "current").config().orElse(null);
    ArrayNode diff = n.putArray("diff");
    ConfigDiff.between(current, checked.config().orElseThrow()).forEach(diff::add);
    n.put("currentEpoch", s.epoch());
    if (req.path("dryRun").asBoolean(false)) {
      n.put("ok", expected == s.epoch());
      if (expected != s.epoch()) n.put("error", "configuration changed meanwhile: expected epoch " + expected + ", current epoch is " + s.epoch());
      n.put("dryRun", true);
      return n;
    }
    Result r = submit(new Command.ApplyConfig(expected, yaml, req.path("reason").asText(""), author, clock.millis()));
    n.put("ok", r.accepted());
    n.put("epoch", r.epoch());
    if (!r.accepted()) n.put("error", r.message());
    return n;
  }

  /**
   * move/ban/clear: an edit of the current configuration committed atomically at the epoch it was
   * read from, so a concurrent change makes it fail instead of being overwritten. Without a node,
   * move and ban act on the node the resource runs on now.
   */
  private ObjectNode resourceEdit(String op, JsonNode req, String author) throws Exception {
    String resource = req.path("resource").asText("");
    String node = req.path("node").asText("");
    if (resource.isEmpty()) return ControlServer.error(op + " needs 'resource'");
    ClusterState s = readLeaderState();
    if (s.epoch() == 0) return ControlServer.error("no configuration has been applied yet (vigil apply -f cluster.yaml)");
    ClusterConfig current = new ConfigLoader(AgentCatalog.NONE).check(s.config().yaml(), "current").config().orElse(null);
    if (current == null) return ControlServer.error("the current configuration (epoch " + s.epoch() + ") does not load here");
    ClusterConfig next;
    String reason;
    try {
      if (node.isEmpty() && !op.equals("resource-clear")) {
        var view = io.vigil.cluster.coordinator.ResourceView.of(s, current, liveness.hasQuorum(), clock.instant());
        var on = view.resources().stream().filter(l -> l.instance().equals(resource) || l.instance().startsWith(resource + ":")
            || current.resource(resource).map(r -> r.primitives().stream().anyMatch(p -> p.id().equals(l.instance()))).orElse(false))
            .flatMap(l -> l.runningOn().keySet().stream()).distinct().toList();
        if (on.size() != 1) {
          return ControlServer.error("'" + resource + "' runs on " + (on.isEmpty() ? "no node" : on.size() + " nodes " + on)
              + "; name the node (vigil resource " + op.substring("resource-".length()) + " " + resource + " NODE)");
        }
        next = io.vigil.cluster.coordinator.OperatorEdits.ban(current, resource, on.getFirst());
        reason = "ban " + resource + " from " + on.getFirst();
      } else {
        next = switch (op) {
          case "resource-move" -> io.vigil.cluster.coordinator.OperatorEdits.move(current, resource, node);
          case "resource-ban" -> io.vigil.cluster.coordinator.OperatorEdits.ban(current, resource, node);
          default -> io.vigil.cluster.coordinator.OperatorEdits.clear(current, resource);
        };
        reason = op.substring("resource-".length()) + " " + resource + (node.isEmpty() ? "" : " " + node);
      }
    } catch (IllegalArgumentException e) {
      return ControlServer.error(e.getMessage() + "; nothing was changed");
    }
    String yaml = io.vigil.config.ConfigWriter.write(next);
    Result r = submit(new Command.ApplyConfig(s.epoch(), yaml, reason, author, clock.millis()));
    ObjectNode n = json.createObjectNode();
    n.put("ok", r.accepted());
    n.put("epoch", r.epoch());
    n.put("message", r.accepted() ? reason + " (configuration epoch " + r.epoch() + ")" : r.message());
    if (!r.accepted()) n.put("error", r.message());
    return n;
  }

  /** standby / online / maintenance of a configured node. */
  private ObjectNode nodeState(JsonNode req, String author) throws Exception {
    String node = req.path("node").asText("");
    String state = req.path("state").asText("");
    io.vigil.cluster.state.NodeState target = switch (state) {
      case "standby" -> io.vigil.cluster.state.NodeState.STANDBY;
      case "online" -> io.vigil.cluster.state.NodeState.ONLINE;
      case "maintenance" -> io.vigil.cluster.state.NodeState.MAINTENANCE;
      default -> null;
    };
    if (target == null) return ControlServer.error("node-state 'state' is '" + state + "', expected standby, online or maintenance");
    ClusterState s = readLeaderState();
    var recorded = s.status().nodes().get(node);
    if (recorded == null) {
      return ControlServer.error("unknown node '" + node + "'" + io.vigil.model.Suggest.hint(node, s.status().nodes().keySet()));
    }
    Result r = submit(new Command.SetNodeState(node, target, "operator: " + state, author, clock.millis()));
    ObjectNode n = json.createObjectNode();
    n.put("ok", r.accepted());
    n.put("message", r.accepted() ? "node " + node + " " + state : r.message());
    if (!r.accepted()) n.put("error", r.message());
    return n;
  }

  private ObjectNode history(JsonNode req) {
    int limit = Math.max(1, Math.min(req.path("limit").asInt(50), 10_000));
    String node = req.path("node").asText("");
    String resource = req.path("resource").asText("");
    long since = req.path("since").asLong(0);
    List<Event> events = raft.localState().history().events().stream()
        .filter(e -> node.isEmpty() || e.node().equals(node))
        .filter(e -> resource.isEmpty() || e.resource().equals(resource))
        .filter(e -> e.timeMillis() >= since)
        .toList();
    ObjectNode n = ok();
    n.set("events", json.valueToTree(events.subList(Math.max(0, events.size() - limit), events.size())));
    return n;
  }

  private ObjectNode token(JsonNode req, String author) throws Exception {
    if (creds.authority().isEmpty()) {
      return ControlServer.error("node " + id.node() + " holds no CA key; issue tokens on the node where 'vigil cluster init' ran");
    }
    long ttl = req.path("ttlSeconds").asLong(3600);
    if (ttl < 1 || ttl > 7 * 86_400) return ControlServer.error("token lifetime " + ttl + "s is out of range 1s..7d");
    JoinTokens.Token t = JoinTokens.issue(id.enrollAddress(), NodeCredentials.fingerprint(creds.ca()));
    long now = clock.millis();
    Result r = submit(new Command.AddJoinToken(new JoinToken(t.id(), JoinTokens.hash(t.secret()), now + ttl * 1000, author), author, now));
    if (!r.accepted()) return ControlServer.error(r.message());
    ObjectNode n = ok();
    n.put("token", t.text());
    n.put("expiresMillis", now + ttl * 1000);
    return n;
  }

  private ObjectNode nodeAdd(JsonNode req, String author) throws Exception {
    String name = req.path("name").asText("");
    String address = req.path("address").asText("");
    Member.Role role = req.path("listener").asBoolean(false) ? Member.Role.LISTENER : Member.Role.VOTER;
    Peer peer;
    try {
      peer = new Peer(name, address, role);
    } catch (IllegalArgumentException e) {
      return ControlServer.error(e.getMessage());
    }
    List<Peer> peers = new ArrayList<>(raft.info().peers());
    if (peers.stream().anyMatch(p -> p.name().equals(name))) return ControlServer.error("node '" + name + "' is already a member");
    Result r = submit(new Command.AddMember(name, address, role, author, clock.millis()));
    if (!r.accepted()) return ControlServer.error(r.message());
    peers.add(peer);
    try {
      raft.setConfiguration(peers);
    } catch (IOException e) {
      // Keep membership and Raft configuration in step: undo the record of a member Raft refused.
      submit(new Command.RemoveMember(name, author, clock.millis()));
      return ControlServer.error("node " + name + " could not be added: " + e.getMessage());
    }
    submit(new Command.SetMemberState(name, Member.JoinState.JOINED, role, author, clock.millis()));
    ObjectNode n = ok();
    n.put("message", "node " + name + " added as " + role.name().toLowerCase(java.util.Locale.ROOT));
    return n;
  }

  private ObjectNode nodeRemove(JsonNode req, String author) throws Exception {
    String name = req.path("name").asText("");
    List<Peer> peers = new ArrayList<>(raft.info().peers());
    if (!peers.removeIf(p -> p.name().equals(name))) return ControlServer.error("node '" + name + "' is not a member");
    if (peers.stream().noneMatch(p -> p.role() == Member.Role.VOTER)) return ControlServer.error("cannot remove the last voter");
    raft.setConfiguration(peers);
    if (raft.localState().members().containsKey(name)) submit(new Command.RemoveMember(name, author, clock.millis()));
    ObjectNode n = ok();
    n.put("message", "node " + name + " removed");
    return n;
  }
}
