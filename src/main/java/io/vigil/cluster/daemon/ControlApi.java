package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cluster.raft.Peer;
import io.vigil.cluster.raft.RaftNode;
import io.vigil.cluster.security.JoinTokens;
import io.vigil.cluster.security.NodeCredentials;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Event;
import io.vigil.cluster.state.JoinToken;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.Result;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.config.Problem;
import io.vigil.model.ClusterConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests the control socket serves. This class dispatches and answers {@code apply},
 * {@code history}, {@code config}, {@code token}, {@code node-add} and {@code node-remove}; the
 * status is {@link StatusRequest}'s, resource and node requests {@link ResourceRequests}', fencing
 * requests {@link FencingRequests}', node attributes {@link AttributeRequests}'. Each validates
 * its input and answers {@code ok:false} with a reason rather than changing anything on bad input.
 */
final class ControlApi implements ControlServer.Handler {
  private final ObjectMapper json = new ObjectMapper();
  private final NodeIdentity id;
  private final NodeCredentials creds;
  private final RaftNode raft;
  private final Clock clock;
  private final Committer commit;
  private final ResourceRequests resources;
  private final FencingRequests fencing;
  private final AttributeRequests attributes;
  private final StatusRequest status;
  private final java.util.function.BooleanSupplier quorate;
  private final List<LocalReport> reports;
  /**
   * What apply checks agents against: fence agents' metadata (stonith:fence_* parameters), and once
   * the daemon's executor is known, the OCF agents installed on this node ({@link #checkAgentsWith}).
   */
  private volatile AgentCatalog applyAgents = io.vigil.fencing.device.FenceAgentCatalog.system();

  ControlApi(NodeIdentity id, NodeCredentials creds, RaftNode raft, LivenessDriver liveness, Clock clock, List<LocalReport> reports) {
    this.id = id;
    this.creds = creds;
    this.raft = raft;
    this.clock = clock;
    this.commit = new Committer(raft, clock, id.node());
    this.resources = new ResourceRequests(commit, liveness::hasQuorum);
    this.fencing = new FencingRequests(commit);
    this.attributes = new AttributeRequests(commit);
    this.status = new StatusRequest(id, raft, liveness, clock, reports);
    this.quorate = liveness::hasQuorum;
    this.reports = reports;
  }

  /** The agents {@code vigil apply} checks configurations against from now on. */
  void checkAgentsWith(AgentCatalog agents) {
    applyAgents = agents;
  }

  /** Where status reads this node's watchdog state from. */
  void watchdogStatus(java.util.function.Supplier<String> w) {
    status.watchdog(w);
  }

  @Override
  public ObjectNode handle(JsonNode req, String user) throws Exception {
    String op = req == null ? "" : req.path("op").asText("");
    String author = user + "@" + id.node();
    if (ResourceRequests.OPS.contains(op)) return resources.handle(op, req, author);
    if (FencingRequests.OPS.contains(op)) return fencing.handle(op, req, author);
    if (op.equals(AttributeRequests.OP)) return attributes.handle(req, author);
    return switch (op) {
      case "status" -> status.status();
      case "apply" -> apply(req, author);
      case "history" -> history(req);
      case "config" -> config();
      case "state" -> state();
      case "token" -> token(req, author);
      case "node-add" -> nodeAdd(req, author);
      case "node-remove" -> nodeRemove(req, author);
      case "local-status" -> localStatus();
      case "metrics" -> metrics();
      default -> ControlServer.error("unknown request '" + op + "', expected one of status, apply, history, config, token, "
          + "state, node-add, node-remove, local-status, metrics, " + AttributeRequests.OP + ", " + String.join(", ", ResourceRequests.OPS) + ", " + String.join(", ", FencingRequests.OPS));
    };
  }

  private ObjectNode ok() {
    ObjectNode n = json.createObjectNode();
    n.put("ok", true);
    return n;
  }

  /** What runs inside this daemon with its live figures (balancer counters): read here, never from Raft. */
  private ObjectNode localStatus() {
    ObjectNode n = ok();
    n.put("node", id.node());
    for (LocalReport r : reports) n.set(r.name(), r.json());
    return n;
  }

  /** The Prometheus text of every local report ({@code GET /metrics} serves it as text/plain). */
  private ObjectNode metrics() {
    StringBuilder sb = new StringBuilder();
    for (LocalReport r : reports) sb.append(r.prometheus());
    ObjectNode n = ok();
    n.put("node", id.node());
    n.put("text", sb.toString());
    return n;
  }

  private ObjectNode apply(JsonNode req, String author) throws Exception {
    String yaml = req.path("yaml").asText(null);
    if (yaml == null) return ControlServer.error("apply needs the configuration text in 'yaml'");
    String file = req.path("file").asText("cluster.yaml");
    ConfigLoader.Result checked = new ConfigLoader(applyAgents).check(yaml, file);
    ObjectNode n = json.createObjectNode();
    ArrayNode problems = n.putArray("problems");
    for (Problem p : checked.problems()) problems.add(p.toString());
    if (!checked.valid()) {
      n.put("ok", false);
      n.put("error", file + ": invalid configuration (" + checked.errors().size() + " error(s)); nothing was applied");
      return n;
    }
    List<String> agentErrors = io.vigil.agents.volume.agent.VolumeConfigCheck.errors(checked.config().orElseThrow());
    if (!agentErrors.isEmpty()) {
      agentErrors.forEach(m -> problems.add(file + ": error: " + m));
      n.put("ok", false);
      n.put("error", file + ": invalid configuration (" + agentErrors.size() + " error(s)); nothing was applied");
      return n;
    }
    List<String> uncovered = new java.util.ArrayList<>();
    for (var f : fencingCoverage(checked.config().orElseThrow())) {
      if (f.error()) uncovered.add(f.message());
      else problems.add(file + ": warning: " + f.message());
    }
    if (!uncovered.isEmpty()) {
      uncovered.forEach(m -> problems.add(file + ": error: " + m));
      n.put("ok", false);
      n.put("error", file + ": fencing is enabled but " + uncovered.size() + " node(s) cannot be fenced (a lost node's "
          + "resources would stay blocked); add fence devices or set fencing-enabled: false explicitly; nothing was applied");
      return n;
    }
    ClusterState s = commit.readLeaderState();
    long expected = req.has("expectedEpoch") ? req.get("expectedEpoch").asLong() : s.epoch();
    ClusterConfig current = s.config().yaml().isEmpty() ? null
        : new ConfigLoader(AgentCatalog.NONE).check(s.config().yaml(), "current").config().orElse(null);
    ArrayNode diff = n.putArray("diff");
    ConfigDiff.between(current, checked.config().orElseThrow()).forEach(diff::add);
    n.put("currentEpoch", s.epoch());
    List<RemovedWhileActive.Active> removedActive = expected != s.epoch() ? List.of() // a stale request is refused for that, below
        : RemovedWhileActive.find(s, current, checked.config().orElseThrow(), quorate.getAsBoolean(), clock.instant());
    if (!removedActive.isEmpty()) {
      n.put("ok", false);
      n.put("error", RemovedWhileActive.message(file, removedActive));
      ArrayNode ids = n.putArray("removedActive");
      removedActive.forEach(a -> ids.add(a.resource()));
      return n;
    }
    if (req.path("dryRun").asBoolean(false)) {
      n.put("ok", expected == s.epoch());
      if (expected != s.epoch()) n.put("error", "configuration changed meanwhile: expected epoch " + expected + ", current epoch is " + s.epoch());
      n.put("dryRun", true);
      return n;
    }
    Result r = commit.submit(new Command.ApplyConfig(expected, yaml, req.path("reason").asText(""), author, clock.millis()));
    n.put("ok", r.accepted());
    n.put("epoch", r.epoch());
    if (!r.accepted()) n.put("error", r.message());
    return n;
  }

  /** Every node must be fenceable by some device when fencing is enabled (warnings when it is disabled). */
  static List<io.vigil.fencing.topology.CoverageCheck.Finding> fencingCoverage(ClusterConfig config) {
    return io.vigil.fencing.topology.CoverageCheck.check(config,
        io.vigil.fencing.topology.Topology.of(config, io.vigil.fencing.device.DeviceFactory.settingsOf(config)));
  }

  private ObjectNode history(JsonNode req) {
    int limit = Math.max(1, Math.min(req.path("limit").asInt(50), 10_000));
    String node = req.path("node").asText("");
    String resource = req.path("resource").asText("");
    String kind = req.path("kind").asText("");
    long since = req.path("since").asLong(0);
    List<Event> events = raft.localState().history().events().stream()
        .filter(e -> kind.isEmpty() || e.kind().name().equalsIgnoreCase(kind))
        .filter(e -> node.isEmpty() || e.node().equals(node))
        .filter(e -> resource.isEmpty() || e.resource().equals(resource))
        .filter(e -> e.timeMillis() >= since)
        .toList();
    ObjectNode n = ok();
    n.set("events", json.valueToTree(events.subList(Math.max(0, events.size() - limit), events.size())));
    return n;
  }

  /** The configuration text and epoch this node has (the CLI checks what the cluster manages). */
  /** The whole replicated state of this replica and its quorum, for {@code vigil simulate --live}. */
  private ObjectNode state() throws IOException {
    ObjectNode n = ok();
    n.put("hasQuorum", quorate.getAsBoolean());
    n.set("state", json.readTree(io.vigil.cluster.state.Codec.encode(raft.localState())));
    return n;
  }

  private ObjectNode config() {
    ClusterState s = raft.localState();
    ObjectNode n = ok();
    n.put("epoch", s.epoch());
    n.put("yaml", s.config().yaml());
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
    Result r = commit.submit(new Command.AddJoinToken(new JoinToken(t.id(), JoinTokens.hash(t.secret()), now + ttl * 1000, author), author, now));
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
    Result r = commit.submit(new Command.AddMember(name, address, role, author, clock.millis()));
    if (!r.accepted()) return ControlServer.error(r.message());
    peers.add(peer);
    try {
      raft.setConfiguration(peers);
    } catch (IOException e) {
      // Keep membership and Raft configuration in step: undo the record of a member Raft refused.
      commit.submit(new Command.RemoveMember(name, author, clock.millis()));
      return ControlServer.error("node " + name + " could not be added: " + e.getMessage());
    }
    commit.submit(new Command.SetMemberState(name, Member.JoinState.JOINED, role, author, clock.millis()));
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
    if (raft.localState().members().containsKey(name)) commit.submit(new Command.RemoveMember(name, author, clock.millis()));
    ObjectNode n = ok();
    n.put("message", "node " + name + " removed");
    return n;
  }
}
