package io.vigil.cluster.state;

import io.vigil.cluster.state.Command.AddJoinToken;
import io.vigil.cluster.state.Command.AddMember;
import io.vigil.cluster.state.Command.ApplyConfig;
import io.vigil.cluster.state.Command.Batch;
import io.vigil.cluster.state.Command.CleanupResource;
import io.vigil.cluster.state.Command.ClearFailures;
import io.vigil.cluster.state.Command.PauseFencing;
import io.vigil.cluster.state.Command.RecordFencing;
import io.vigil.cluster.state.Command.RecordOperation;
import io.vigil.cluster.state.Command.RemoveMember;
import io.vigil.cluster.state.Command.ReportProgress;
import io.vigil.cluster.state.Command.ResumeFencing;
import io.vigil.cluster.state.Command.SetHistoryCap;
import io.vigil.cluster.state.Command.SetMemberState;
import io.vigil.cluster.state.Command.SetNodeAttribute;
import io.vigil.cluster.state.Command.SetNodeState;
import io.vigil.cluster.state.Command.StartTransition;
import io.vigil.cluster.state.Command.UseJoinToken;
import io.vigil.cluster.state.Event.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure transition function of the replicated state: {@code apply(state, command)} returns the
 * next state and the answer for the proposer. No clock, no I/O, no randomness: every replica that
 * applies the same log reaches the same state. A rejected command returns the state unchanged.
 */
public final class Apply {
  /** Largest history cap a command may set, so a command cannot make the state unbounded. */
  public static final int MAX_HISTORY_CAP = 100_000;

  private Apply() {}

  /** The next state and the proposer's answer. */
  public record Outcome(ClusterState state, Result result) {}

  /** Applies one command; never throws for any command value. */
  public static Outcome apply(ClusterState s, Command c) {
    try {
      return switch (c) {
        case ApplyConfig a -> applyConfig(s, a);
        case AddMember a -> addMember(s, a);
        case SetMemberState a -> setMemberState(s, a);
        case RemoveMember a -> removeMember(s, a);
        case SetNodeState a -> setNodeState(s, a);
        case SetNodeAttribute a -> setNodeAttribute(s, a);
        case RecordOperation a -> recordOperation(s, a);
        case ClearFailures a -> clearFailures(s, a);
        case StartTransition a -> startTransition(s, a);
        case ReportProgress a -> reportProgress(s, a);
        case PauseFencing a -> pauseFencing(s, a);
        case ResumeFencing a -> resumeFencing(s, a);
        case RecordFencing a -> recordFencing(s, a);
        case AddJoinToken a -> addJoinToken(s, a);
        case UseJoinToken a -> useJoinToken(s, a);
        case SetHistoryCap a -> setHistoryCap(s, a);
        case CleanupResource a -> cleanupResource(s, a);
        case Batch a -> batch(s, a);
        case Command.RecordAgentEvent a -> ok(s.with(s.config(), s.members(), s.status(), s.fencingPauses(), s.joinTokens(),
            s.history().add(a.timeMillis(), Kind.AGENT, a.node(), a.resource(), a.author(), a.text())), "recorded");
        case Command.RecordDeviceHealth a -> recordDeviceHealth(s, a);
      };
    } catch (IllegalArgumentException | NullPointerException e) {
      // A value invariant of the new state failed: refuse the command, keep the state.
      return reject(s, "command " + c.getClass().getSimpleName() + " is invalid: " + e.getMessage());
    }
  }

  /** Applies commands in order, as a replica replaying its log does. */
  public static ClusterState replay(ClusterState s, List<Command> log) {
    for (Command c : log) s = apply(s, c).state();
    return s;
  }

  /**
   * Each command in order, each on its own terms. Refused only when every part was (so a refused
   * command never changes the state); otherwise accepted, naming the parts that were refused.
   */
  private static Outcome batch(ClusterState s, Batch b) {
    ClusterState start = s;
    List<String> refused = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (Command c : b.commands()) {
      if (c instanceof StartTransition t && !refused.isEmpty()) {
        refused.add("transition " + t.transition().id() + " not recorded: it was made for the state this batch's refused command(s) would have made");
        continue;
      }
      Outcome o = apply(s, c);
      s = o.state();
      (o.result().accepted() ? done : refused).add(o.result().message());
    }
    if (done.isEmpty()) return reject(start, String.join("; ", refused));
    return ok(s, String.join("; ", done) + (refused.isEmpty() ? "" : "; refused: " + String.join("; ", refused)));
  }

  private static Outcome reject(ClusterState s, String why) {
    return new Outcome(s, Result.rejected(why, s.epoch()));
  }

  private static Outcome ok(ClusterState next, String message) {
    return new Outcome(next, Result.ok(message, next.epoch()));
  }

  private static Outcome applyConfig(ClusterState s, ApplyConfig a) {
    if (a.expectedEpoch() != s.epoch()) {
      return reject(s, "configuration changed meanwhile: expected epoch " + a.expectedEpoch()
          + ", current epoch is " + s.epoch() + " (re-read the configuration and apply again)");
    }
    if (a.yaml().isBlank()) return reject(s, "configuration text is empty");
    long epoch = s.epoch() + 1;
    ConfigVersion v = new ConfigVersion(epoch, a.yaml(), a.author(), a.timeMillis(), a.reason());
    History h = s.history().add(a.timeMillis(), Kind.CONFIG, "", "", a.author(),
        "configuration epoch " + epoch + (v.reason().isEmpty() ? "" : ": " + v.reason()));
    return ok(s.with(v, s.members(), s.status(), s.fencingPauses(), s.joinTokens(), h), "configuration epoch " + epoch);
  }

  private static Outcome addMember(ClusterState s, AddMember a) {
    Member old = s.members().get(a.name());
    if (old != null && !old.address().equals(a.address())) {
      return reject(s, "member '" + a.name() + "' already exists at " + old.address() + ", not " + a.address());
    }
    for (Member m : s.members().values()) {
      if (!m.name().equals(a.name()) && m.address().equals(a.address())) {
        return reject(s, "address " + a.address() + " is already used by member '" + m.name() + "'");
      }
    }
    Map<String, Member> members = new HashMap<>(s.members());
    members.put(a.name(), new Member(a.name(), a.address(), a.role(), Member.JoinState.ENROLLED, a.timeMillis()));
    History h = s.history().add(a.timeMillis(), Kind.MEMBERSHIP, a.name(), "", a.author(),
        "member added as " + a.role().name().toLowerCase(java.util.Locale.ROOT) + " at " + a.address());
    return ok(s.with(s.config(), members, s.status(), s.fencingPauses(), s.joinTokens(), h), "member " + a.name() + " added");
  }

  private static Outcome setMemberState(ClusterState s, SetMemberState a) {
    Member m = s.members().get(a.name());
    if (m == null) return reject(s, "unknown member '" + a.name() + "' (members: " + s.members().keySet() + ")");
    if (m.joinState() == a.joinState() && m.role() == a.role()) return ok(s, "member " + a.name() + " unchanged");
    Map<String, Member> members = new HashMap<>(s.members());
    members.put(a.name(), new Member(m.name(), m.address(), a.role(), a.joinState(), a.timeMillis()));
    History h = s.history().add(a.timeMillis(), Kind.MEMBERSHIP, a.name(), "", a.author(),
        "member " + a.joinState().name().toLowerCase(java.util.Locale.ROOT) + " as " + a.role().name().toLowerCase(java.util.Locale.ROOT));
    return ok(s.with(s.config(), members, s.status(), s.fencingPauses(), s.joinTokens(), h), "member " + a.name() + " updated");
  }

  private static Outcome removeMember(ClusterState s, RemoveMember a) {
    if (!s.members().containsKey(a.name())) return reject(s, "unknown member '" + a.name() + "'");
    Map<String, Member> members = new HashMap<>(s.members());
    members.remove(a.name());
    History h = s.history().add(a.timeMillis(), Kind.MEMBERSHIP, a.name(), "", a.author(), "member removed");
    return ok(s.with(s.config(), members, s.status(), s.fencingPauses(), s.joinTokens(), h), "member " + a.name() + " removed");
  }

  private static Outcome setNodeState(ClusterState s, SetNodeState a) {
    NodeStatus old = s.status().nodes().get(a.node());
    if (old != null && !old.state().canMoveTo(a.state())) {
      return reject(s, "node '" + a.node() + "' cannot move from " + old.state() + " to " + a.state());
    }
    if (old != null && old.state() == a.state()) return ok(s, "node " + a.node() + " already " + a.state());
    NodeState target = a.state();
    String why = a.reason();
    // Node maintenance is never fenced: a node lost while in maintenance keeps what it ran (blocked, not
    // recovered elsewhere) and, when it is heard again, returns to maintenance with its operation history.
    boolean maintenanceLost = old != null && old.state() == NodeState.MAINTENANCE && target == NodeState.LOST;
    boolean maintenanceBack = old != null && old.lostInMaintenance() && target == NodeState.ONLINE;
    if (maintenanceLost) why = why + (why.isEmpty() ? "" : "; ") + "in maintenance: not fenced, its resources stay blocked";
    if (maintenanceBack) {
      target = NodeState.MAINTENANCE;
      why = why + (why.isEmpty() ? "" : "; ") + "back in maintenance";
    }
    NodeStatus next = old == null
        ? new NodeStatus(a.node(), target, a.timeMillis(), why, Map.of())
        : old.withState(target, a.timeMillis(), why);
    if (maintenanceLost || old != null && old.lostInMaintenance()) {
      Map<String, String> attrs = new HashMap<>(next.attributes());
      if (maintenanceLost) attrs.put(NodeStatus.LOST_IN_MAINTENANCE, "true"); else attrs.remove(NodeStatus.LOST_IN_MAINTENANCE);
      next = next.withAttributes(attrs);
    }
    Map<String, NodeStatus> nodes = new HashMap<>(s.status().nodes());
    nodes.put(a.node(), next);
    History h = s.history().add(a.timeMillis(), Kind.NODE, a.node(), "", a.author(),
        "node " + target.name().toLowerCase(java.util.Locale.ROOT) + (next.reason().isEmpty() ? "" : ": " + next.reason()));
    Status status = s.status().withNodes(nodes);
    if (target == NodeState.FENCED) status = settlePendingFencing(status, a.node(), Transition.ActionProgress.Phase.DONE, a.timeMillis());
    boolean rejoins = old != null && (old.state() == NodeState.LOST || old.state() == NodeState.FENCED)
        && target == NodeState.ONLINE;
    if (rejoins) {
      // What the node ran before it was lost is unknown now (its lease or a fence stopped it, or not):
      // forget its operation history so it is probed for every resource before anything starts there.
      Map<String, OpResult> ops = new HashMap<>(s.status().operations());
      ops.values().removeIf(r -> r.node().equals(a.node()));
      status = status.withOperations(ops, s.status().failCounts());
      status = settlePendingFencing(status, a.node(), Transition.ActionProgress.Phase.CANCELLED, a.timeMillis());
      // Its promotion scores go with that history (Pacemaker erases a leaving node's transient
      // attributes): its agents set them again when they probe or start there.
      // Failed fencing attempts no longer matter once the node is heard again.
      Map<String, String> attrs = withoutFenceFailures(next.attributes());
      attrs.keySet().removeIf(k -> k.startsWith(io.vigil.status.NodeStatus.PROMOTION_SCORE_PREFIX));
      if (attrs.size() != next.attributes().size()) {
        nodes.put(a.node(), next.withAttributes(attrs));
        status = status.withNodes(nodes);
      }
    }
    return ok(s.with(s.config(), s.members(), status, s.fencingPauses(), s.joinTokens(), h),
        "node " + a.node() + " " + target);
  }

  private static Outcome setNodeAttribute(ClusterState s, SetNodeAttribute a) {
    NodeStatus old = s.status().nodes().get(a.node());
    if (old == null) return reject(s, "unknown node '" + a.node() + "' (no state recorded yet)");
    Map<String, String> attrs = new HashMap<>(old.attributes());
    if (a.value() == null) attrs.remove(a.name()); else attrs.put(a.name(), a.value());
    Map<String, NodeStatus> nodes = new HashMap<>(s.status().nodes());
    nodes.put(a.node(), old.withAttributes(attrs));
    return ok(s.with(s.config(), s.members(), s.status().withNodes(nodes), s.fencingPauses(), s.joinTokens(), s.history()),
        "attribute " + a.name() + " of " + a.node() + " set");
  }

  private static Outcome recordOperation(ClusterState s, RecordOperation a) {
    OpResult r = a.result();
    String away = awayReason(s, r.node());
    if (away != null) return reject(s, "result of " + r.key() + " not recorded: " + away);
    Map<String, OpResult> ops = new HashMap<>(s.status().operations());
    OpResult prev = ops.get(r.key());
    if (prev != null && prev.callId() > r.callId()) {
      return reject(s, "result of call " + r.callId() + " for " + r.key() + " is older than the recorded call " + prev.callId());
    }
    ops.put(r.key(), r);
    Map<String, FailCount> fails = new HashMap<>(s.status().failCounts());
    History h;
    if (r.failed()) {
      String key = FailCount.key(r.resource(), r.node());
      FailCount f = fails.get(key);
      int count = f == null ? 1 : (f.count() == Integer.MAX_VALUE ? f.count() : f.count() + 1);
      fails.put(key, new FailCount(r.resource(), r.node(), count, a.timeMillis(), r.rc(), r.operation()));
      h = s.history().add(a.timeMillis(), Kind.FAILURE, r.node(), r.resource(), a.author(),
          r.operation() + " failed (rc " + r.rc() + ", fail count " + count + ")", r.rc(), r.durationMillis());
    } else if (r.intervalMillis() == 0) {
      // Recurring monitor successes would flood the history; one-shot actions are all recorded.
      h = s.history().add(a.timeMillis(), Kind.ACTION, r.node(), r.resource(), a.author(),
          r.operation() + " rc " + r.rc(), r.rc(), r.durationMillis());
    } else {
      h = s.history();
    }
    return ok(s.with(s.config(), s.members(), s.status().withOperations(ops, fails), s.fencingPauses(), s.joinTokens(), h),
        "recorded " + r.key());
  }

  private static Outcome clearFailures(ClusterState s, ClearFailures a) {
    Map<String, FailCount> fails = new HashMap<>(s.status().failCounts());
    boolean removed = fails.values().removeIf(f -> f.resource().equals(a.resource())
        && (a.node() == null || a.node().isEmpty() || f.node().equals(a.node())));
    if (!removed) return ok(s, "no failures of " + a.resource());
    History h = s.history().add(a.timeMillis(), Kind.ACTION, Sorted.text(a.node()), a.resource(), a.author(), "failures cleared");
    return ok(s.with(s.config(), s.members(), s.status().withOperations(s.status().operations(), fails),
        s.fencingPauses(), s.joinTokens(), h), "failures of " + a.resource() + " cleared");
  }

  private static Outcome cleanupResource(ClusterState s, CleanupResource a) {
    if (a.resources().isEmpty()) return reject(s, "cleanup names no resource");
    String node = Sorted.text(a.node());
    java.util.function.Predicate<String> ofThem = r -> a.resources().stream()
        .anyMatch(id -> r.equals(id) || r.startsWith(id + ":"));
    Map<String, FailCount> fails = new HashMap<>(s.status().failCounts());
    fails.values().removeIf(f -> ofThem.test(f.resource()) && (node.isEmpty() || f.node().equals(node)));
    Map<String, OpResult> ops = new HashMap<>(s.status().operations());
    ops.values().removeIf(r -> ofThem.test(r.resource()) && (node.isEmpty() || r.node().equals(node)));
    String what = String.join(", ", a.resources());
    History h = s.history().add(a.timeMillis(), Kind.ACTION, node, a.resources().size() == 1 ? a.resources().getFirst() : "",
        a.author(), "cleanup of " + what + (node.isEmpty() ? " on every node" : "") + ": failures and operation history forgotten, re-probing");
    return ok(s.with(s.config(), s.members(), s.status().withOperations(ops, fails), s.fencingPauses(), s.joinTokens(), h),
        "cleaned up " + what + (node.isEmpty() ? "" : " on " + node));
  }

  private static Outcome startTransition(ClusterState s, StartTransition a) {
    Transition t = a.transition();
    if (t.configEpoch() != s.epoch()) {
      return reject(s, "transition " + t.id() + " was computed for epoch " + t.configEpoch() + ", current epoch is " + s.epoch());
    }
    // A node's RUNNING claim and the leader's new plan race through the log: whichever commits
    // first wins, so an action claimed under the old plan is never started again under the new one.
    List<String> running = s.openClaims();
    if (!running.isEmpty()) {
      return reject(s, "transition " + s.status().transition().id() + " still has action(s) running " + running
          + "; a new plan waits for them");
    }
    // Claims made with the plan (the leader's fencing, the first steps of other nodes) stand as if
    // their nodes had made them: pending operations recorded; a claim for a node lost meanwhile
    // stays pending instead (it is not claimed for a lost node, as a node's own claim would not be).
    Map<String, Transition.ActionProgress> progress = new HashMap<>(t.progress());
    for (var p : t.progress().values()) {
      if (p.phase() == Transition.ActionProgress.Phase.RUNNING && awayReason(s, p.node()) != null) {
        String node = ActionId.parse(p.actionId()).map(ActionId::node).orElse(p.node());
        progress.put(p.actionId(), new Transition.ActionProgress(p.actionId(), Transition.ActionProgress.Phase.PENDING, 0,
            p.updatedMillis(), node));
      }
    }
    t = new Transition(t.id(), t.configEpoch(), t.payload(), t.createdMillis(), progress);
    Status status = s.status().withTransition(t);
    for (var p : progress.values()) {
      if (p.phase() == Transition.ActionProgress.Phase.RUNNING) status = withPendingOperation(status, p.actionId(), a.timeMillis());
    }
    History h = s.history().add(a.timeMillis(), Kind.TRANSITION, "", "", a.author(),
        "transition " + t.id() + " with " + t.progress().size() + " action(s)");
    return ok(s.with(s.config(), s.members(), status, s.fencingPauses(), s.joinTokens(), h),
        "transition " + t.id() + " recorded");
  }

  private static Outcome reportProgress(ClusterState s, ReportProgress a) {
    Transition t = s.status().transition();
    if (t == null || !t.id().equals(a.transitionId())) {
      return reject(s, "transition " + a.transitionId() + " is not current (current: " + (t == null ? "none" : t.id()) + ")");
    }
    if (!t.progress().containsKey(a.progress().actionId())) {
      return reject(s, "transition " + t.id() + " has no action '" + a.progress().actionId() + "'");
    }
    Transition.ActionProgress was = t.progress().get(a.progress().actionId());
    String away = a.progress().phase() == Transition.ActionProgress.Phase.RUNNING ? awayReason(s, a.progress().node()) : null;
    if (away != null) return reject(s, "action " + was.actionId() + " not claimed: " + away);
    boolean reclaim = was.phase() == Transition.ActionProgress.Phase.RUNNING && was.node().equals(a.progress().node());
    if (a.progress().phase() == Transition.ActionProgress.Phase.RUNNING && was.phase() != Transition.ActionProgress.Phase.PENDING && !reclaim) {
      return reject(s, "action " + was.actionId() + " of transition " + t.id() + " is already " + was.phase()
          + (was.node().isEmpty() ? "" : " on " + was.node()) + "; it runs once");
    }
    Map<String, Transition.ActionProgress> progress = new HashMap<>(t.progress());
    progress.put(a.progress().actionId(), a.progress());
    Transition next = new Transition(t.id(), t.configEpoch(), t.payload(), t.createdMillis(), progress);
    Status status = s.status().withTransition(next);
    if (a.progress().phase() == Transition.ActionProgress.Phase.RUNNING && !reclaim) {
      status = withPendingOperation(status, a.progress().actionId(), a.timeMillis());
    } else if (a.progress().phase() != Transition.ActionProgress.Phase.RUNNING) {
      status = withoutPendingOperation(status, a.progress().actionId());
    }
    return ok(s.with(s.config(), s.members(), status, s.fencingPauses(), s.joinTokens(), s.history()),
        "progress of " + a.progress().actionId() + " recorded");
  }

  /**
   * The current plan's pending fencing of {@code node} once the node is fenced by other means (an
   * operator's confirmation, another fencing: {@code DONE}, what waited for it may go on) or heard
   * again ({@code CANCELLED}: what waited for it, its recovery elsewhere, never runs; the leader's
   * next plan probes it instead). Either way it is never run against the node, even while the leader
   * cannot replan yet (another action running). A fencing already under way goes on.
   */
  private static Status settlePendingFencing(Status status, String node, Transition.ActionProgress.Phase phase, long timeMillis) {
    Transition t = status.transition();
    if (t == null) return status;
    Map<String, Transition.ActionProgress> progress = new HashMap<>(t.progress());
    boolean changed = false;
    for (var p : t.progress().values()) {
      if (p.phase() != Transition.ActionProgress.Phase.PENDING) continue;
      var id = ActionId.parse(p.actionId());
      if (id.isPresent() && id.get().kind().equals("FENCE") && id.get().resource().equals(node)) {
        progress.put(p.actionId(), new Transition.ActionProgress(p.actionId(), phase, 0, timeMillis, ""));
        changed = true;
      }
    }
    return changed ? status.withTransition(new Transition(t.id(), t.configEpoch(), t.payload(), t.createdMillis(), progress)) : status;
  }

  /**
   * Why nothing {@code node} reports may enter the status now, or null: a lost or fenced node's
   * operation history is forgotten when it rejoins and probed again, so a result or a claim from
   * it meanwhile (a daemon that restarted on a stale copy of the log, a report that was under way
   * when it was cut off) would only add failures or run an action of a plan that went on without it.
   */
  private static String awayReason(ClusterState s, String node) {
    NodeStatus ns = s.status().nodes().get(node);
    if (ns == null || ns.state() != NodeState.LOST && ns.state() != NodeState.FENCED) return null;
    return "node " + node + " is " + ns.state().name().toLowerCase(java.util.Locale.ROOT)
        + " (it is probed again when it rejoins)";
  }

  private static final java.util.Set<String> CHANGES_ROLE =
      java.util.Set.of("START", "STOP", "PROMOTE", "DEMOTE", "MIGRATE_TO", "MIGRATE_FROM");

  /**
   * A claimed start, stop, promotion, demotion or migration is recorded as pending until its
   * result replaces it ({@link OpResult#pending}): if the node is lost before it reports, the
   * scheduler takes the resource as running there, wherever the plan goes next.
   */
  private static Status withPendingOperation(Status status, String actionId, long timeMillis) {
    var p = pendingOf(actionId, timeMillis);
    if (p.isEmpty()) return status;
    Map<String, OpResult> ops = new HashMap<>(status.operations());
    ops.put(p.get().key(), p.get());
    return status.withOperations(ops, status.failCounts());
  }

  /** An action that ended without a result (it could not be run at all): nothing is pending any more. */
  private static Status withoutPendingOperation(Status status, String actionId) {
    var key = pendingOf(actionId, 0).map(OpResult::key);
    OpResult recorded = key.map(status.operations()::get).orElse(null);
    if (recorded == null || !recorded.pending()) return status;
    Map<String, OpResult> ops = new HashMap<>(status.operations());
    ops.remove(key.get());
    return status.withOperations(ops, status.failCounts());
  }

  /** The pending record a claim of {@code actionId} stands for, if its kind changes a role. */
  private static java.util.Optional<OpResult> pendingOf(String actionId, long timeMillis) {
    return ActionId.parse(actionId).filter(x -> CHANGES_ROLE.contains(x.kind()))
        .map(x -> OpResult.pending(x.resource(), x.node(), x.operation(), timeMillis));
  }

  private static Outcome pauseFencing(ClusterState s, PauseFencing a) {
    if (a.untilMillis() <= a.timeMillis()) return reject(s, "fencing pause '" + a.id() + "' ends before it starts");
    List<FencingPause> pauses = new ArrayList<>(s.activePauses(a.timeMillis()));
    pauses.removeIf(p -> p.id().equals(a.id()));
    pauses.add(new FencingPause(a.id(), a.node(), a.timeMillis(), a.untilMillis(), a.author(), a.reason()));
    History h = s.history().add(a.timeMillis(), Kind.FENCING, Sorted.text(a.node()), "", a.author(),
        "fencing paused until " + java.time.Instant.ofEpochMilli(a.untilMillis()) + (a.reason() == null ? "" : ": " + a.reason()));
    return ok(s.with(s.config(), s.members(), s.status(), pauses, s.joinTokens(), h), "fencing paused");
  }

  private static Outcome resumeFencing(ClusterState s, ResumeFencing a) {
    String id = Sorted.text(a.id());
    List<FencingPause> pauses = new ArrayList<>(s.fencingPauses());
    if (!pauses.removeIf(p -> id.isEmpty() || p.id().equals(id))) return reject(s, "no fencing pause '" + id + "'");
    History h = s.history().add(a.timeMillis(), Kind.FENCING, "", "", a.author(), "fencing resumed");
    return ok(s.with(s.config(), s.members(), s.status(), pauses, s.joinTokens(), h), "fencing resumed");
  }

  private static Outcome recordFencing(ClusterState s, RecordFencing a) {
    History h = s.history().add(a.timeMillis(), Kind.FENCING, a.target(), "", a.author(),
        Sorted.text(a.action()) + " of " + a.target() + " via " + Sorted.text(a.device()) + (a.success() ? " succeeded" : " failed")
            + (a.reason() == null ? "" : ": " + a.reason()), a.success() ? 0 : 1, a.durationMillis());
    Status status = s.status();
    Map<String, NodeStatus> nodes = new HashMap<>(status.nodes());
    NodeStatus old = nodes.get(a.target());
    if (a.success()) {
      nodes.put(a.target(), old == null
          ? new NodeStatus(a.target(), NodeState.FENCED, a.timeMillis(), "fenced", Map.of())
          : old.withState(NodeState.FENCED, a.timeMillis(), "fenced via " + Sorted.text(a.device()))
              .withAttributes(withoutFenceFailures(without(old.attributes(), NodeStatus.LOST_IN_MAINTENANCE))));
      status = settlePendingFencing(status.withNodes(nodes), a.target(), Transition.ActionProgress.Phase.DONE, a.timeMillis());
    } else if (old != null && old.state() == NodeState.LOST) {
      // Counted on the node, so whichever node leads next waits out the same backoff.
      Map<String, String> attrs = new HashMap<>(old.attributes());
      attrs.put(NodeStatus.FENCE_FAILURES, Integer.toString(old.fenceFailures() + 1));
      attrs.put(NodeStatus.FENCE_FAILED_AT, Long.toString(a.timeMillis()));
      String why = Sorted.text(a.reason());
      attrs.put(NodeStatus.FENCE_ERROR, why.length() > 300 ? why.substring(0, 300) + "..." : why);
      nodes.put(a.target(), old.withAttributes(attrs));
      status = status.withNodes(nodes);
    }
    return ok(s.with(s.config(), s.members(), status, s.fencingPauses(), s.joinTokens(), h), "fencing recorded");
  }

  private static Outcome recordDeviceHealth(ClusterState s, Command.RecordDeviceHealth a) {
    if (a.device().isBlank()) return reject(s, "record-device-health needs a device name");
    DeviceStatus old = s.status().devices().get(a.device());
    boolean flipped = old == null ? !a.ok() : old.ok() != a.ok();
    long since = old != null && old.ok() == a.ok() ? old.sinceMillis() : a.timeMillis();
    DeviceStatus next = new DeviceStatus(a.device(), a.ok(), since, a.ok() ? 0 : Math.max(1, a.failures()), a.message(), a.node());
    Map<String, DeviceStatus> devices = new HashMap<>(s.status().devices());
    devices.put(a.device(), next);
    History h = !flipped ? s.history() : s.history().add(a.timeMillis(), Kind.FENCING, a.node(), a.device(), a.author(),
        "fence device " + a.device() + (a.ok() ? " monitor ok again" : " monitor FAILING") + (next.message().isEmpty() ? "" : ": " + next.message()));
    return ok(s.with(s.config(), s.members(), s.status().withDevices(devices), s.fencingPauses(), s.joinTokens(), h),
        "health of fence device " + a.device() + " recorded");
  }

  private static Map<String, String> withoutFenceFailures(Map<String, String> m) {
    Map<String, String> out = new HashMap<>(m);
    out.remove(NodeStatus.FENCE_FAILURES);
    out.remove(NodeStatus.FENCE_FAILED_AT);
    out.remove(NodeStatus.FENCE_ERROR);
    return out;
  }

  private static Map<String, String> without(Map<String, String> m, String key) {
    Map<String, String> out = new HashMap<>(m);
    out.remove(key);
    return out;
  }

  private static Outcome addJoinToken(ClusterState s, AddJoinToken a) {
    if (s.joinTokens().containsKey(a.token().id())) return reject(s, "join token id " + a.token().id() + " exists");
    Map<String, JoinToken> tokens = new HashMap<>();
    // Expired tokens are dropped here so the map cannot grow without bound.
    s.joinTokens().forEach((k, v) -> { if (v.expiresMillis() > a.timeMillis()) tokens.put(k, v); });
    tokens.put(a.token().id(), a.token());
    History h = s.history().add(a.timeMillis(), Kind.MEMBERSHIP, "", "", a.author(), "join token " + a.token().id() + " issued");
    return ok(s.with(s.config(), s.members(), s.status(), s.fencingPauses(), tokens, h), "join token stored");
  }

  private static Outcome useJoinToken(ClusterState s, UseJoinToken a) {
    JoinToken t = s.joinTokens().get(a.tokenId());
    // One message for unknown, used and wrong-secret tokens: a prober learns nothing.
    if (t == null || !java.security.MessageDigest.isEqual(
        t.secretSha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        a.secretSha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
      return reject(s, "join token is unknown, already used or wrong");
    }
    if (a.timeMillis() >= t.expiresMillis()) return reject(s, "join token " + t.id() + " has expired");
    Map<String, JoinToken> tokens = new HashMap<>(s.joinTokens());
    tokens.remove(a.tokenId());
    History h = s.history().add(a.timeMillis(), Kind.MEMBERSHIP, a.node(), "", a.author(), "join token " + t.id() + " used");
    return ok(s.with(s.config(), s.members(), s.status(), s.fencingPauses(), tokens, h), "join token accepted");
  }

  private static Outcome setHistoryCap(ClusterState s, SetHistoryCap a) {
    if (a.cap() < 1 || a.cap() > MAX_HISTORY_CAP) {
      return reject(s, "history cap " + a.cap() + " is out of range, expected 1.." + MAX_HISTORY_CAP);
    }
    return ok(s.with(s.config(), s.members(), s.status(), s.fencingPauses(), s.joinTokens(), s.history().withCap(a.cap())),
        "history cap " + a.cap());
  }
}
