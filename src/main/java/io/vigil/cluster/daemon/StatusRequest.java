package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cluster.raft.GroupInfo;
import io.vigil.cluster.raft.Peer;
import io.vigil.cluster.raft.RaftAccess;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.NodeStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * The {@code status} request: membership, leader, quorum, epoch, active fencing pauses with the
 * time left, each resource instance (from the view the coordinator schedules from) and warnings
 * such as moves and bans in force with their expiry. Read from this node's replica.
 */
final class StatusRequest {
  private final ObjectMapper json = new ObjectMapper();
  private final NodeIdentity id;
  private final RaftAccess raft;
  private final LivenessDriver liveness;
  private final Clock clock;
  private final List<LocalReport> reports;
  /** This node's self-fencing watchdog, one line (set by the daemon). */
  private volatile java.util.function.Supplier<String> watchdog = () -> "off";

  StatusRequest(NodeIdentity id, RaftAccess raft, LivenessDriver liveness, Clock clock, List<LocalReport> reports) {
    this.reports = reports;
    this.id = id;
    this.raft = raft;
    this.liveness = liveness;
    this.clock = clock;
  }

  void watchdog(java.util.function.Supplier<String> w) {
    watchdog = w;
  }

  ObjectNode status() throws IOException {
    GroupInfo g = raft.info();
    ClusterState s = raft.localState();
    ObjectNode n = json.createObjectNode();
    n.put("ok", true);
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
    n.put("watchdog", watchdog.get());
    ArrayNode pauses = n.putArray("fencingPauses");
    long now = clock.millis();
    for (var p : s.activePauses(now)) {
      pauses.addObject().put("id", p.id()).put("node", p.node().isEmpty() ? "*" : p.node())
          .put("untilMillis", p.untilMillis()).put("leftMillis", p.untilMillis() - now)
          .put("reason", p.reason()).put("author", p.author());
    }
    ArrayNode members = n.putArray("members");
    for (Peer p : g.peers()) {
      ObjectNode m = members.addObject();
      m.put("name", p.name());
      m.put("address", p.address());
      m.put("role", p.role().name());
      NodeStatus ns = s.status().nodes().get(p.name());
      m.put("state", ns == null ? "UNKNOWN" : ns.state().name());
      if (ns != null && ns.lostInMaintenance()) m.put("lostInMaintenance", true);
      Long silence = g.silenceMillis().get(p.name());
      if (silence != null) m.put("silenceMillis", silence);
      m.put("leader", p.name().equals(g.leader()));
    }
    resources(n, s);
    // Live figures of this daemon only (balancer counters): cheap, and never written to Raft.
    ArrayNode local = n.putArray("local");
    for (LocalReport r : reports) r.summary().forEach(local::add);
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
    io.vigil.cluster.coordinator.OperatorEdits.inForce(loaded.config().get(), clock.instant()).forEach(w::add);
    blockedByPauses(s, loaded.config().get()).forEach(w::add);
    failedFencing(s, loaded.config().get().properties()).forEach(w::add);
    fenceDevices(n, s, loaded.config().get()).forEach(w::add);
    s.status().nodes().values().stream().filter(NodeStatus::lostInMaintenance).forEach(ns -> w.add("node " + ns.node()
        + " was lost while in maintenance: it is not fenced and what it ran stays blocked (not recovered elsewhere) until it "
        + "returns or you confirm it is down (vigil fence confirm " + ns.node() + " --yes)"));
  }

  /** The leader's recorded monitor results of the configured fence devices; a warning per failing one. */
  private List<String> fenceDevices(ObjectNode n, ClusterState s, io.vigil.model.ClusterConfig c) {
    ArrayNode out = n.putArray("fenceDevices");
    List<String> warnings = new java.util.ArrayList<>();
    for (var p : io.vigil.fencing.device.DeviceFactory.devicesOf(c)) {
      ObjectNode d = out.addObject().put("device", p.id());
      var st = s.status().devices().get(p.id());
      boolean monitored = p.operations().stream().anyMatch(o -> o.name().equals("monitor") && o.isRecurring());
      if (st == null) {
        d.put("state", monitored ? "ok" : "not monitored");
        continue;
      }
      d.put("state", st.ok() ? "ok" : "FAILING").put("sinceMillis", st.sinceMillis()).put("message", st.message())
          .put("monitoredBy", st.node());
      if (!st.ok()) {
        warnings.add("fence device " + p.id() + ": monitor FAILING since " + java.time.Instant.ofEpochMilli(st.sinceMillis())
            + ": " + st.message() + " (nodes that only it can fence cannot be fenced; vigil fence test " + p.id() + ")");
      }
    }
    return warnings;
  }

  /** Lost nodes whose automatic fencing failed: when it is tried again (or that it is not), and that their resources wait. */
  private List<String> failedFencing(ClusterState s, io.vigil.model.ClusterProperties properties) {
    List<String> out = new java.util.ArrayList<>();
    for (var ns : s.status().nodes().values()) {
      io.vigil.cluster.coordinator.FenceBackoff.warning(s, properties, ns.node()).ifPresent(out::add);
    }
    return out;
  }

  /** Lost nodes that a fencing pause keeps from being fenced: their resources wait, and status says why. */
  private List<String> blockedByPauses(ClusterState s, io.vigil.model.ClusterConfig c) {
    if (!c.properties().getOrDefault(io.vigil.model.ClusterProperties.FENCING_ENABLED)) return List.of();
    long now = clock.millis();
    List<String> out = new java.util.ArrayList<>();
    s.status().nodes().values().stream().filter(ns -> ns.state() == io.vigil.cluster.state.NodeState.LOST).forEach(ns ->
        s.activePauses(now).stream().filter(p -> p.covers(ns.node(), now)).findFirst().ifPresent(p -> out.add(
            "node " + ns.node() + " is lost and fencing is paused (" + p.id() + ", until " + java.time.Instant.ofEpochMilli(p.untilMillis())
                + "): what it ran stays blocked until the pause ends or you confirm it is down (vigil fence confirm "
                + ns.node() + " --yes)")));
    return out;
  }

}
