package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.NodeStatus;
import io.vigil.cluster.state.Transition;
import io.vigil.cluster.state.Transition.ActionProgress;
import io.vigil.cluster.state.Transition.ActionProgress.Phase;
import java.util.List;
import java.util.Map;

/**
 * Which actions of the current plan a node may start now: its own, pending (or claimed for it and
 * never finished), with every predecessor done; and which claims the end of an action makes for the
 * nodes that run what waited for it. The caller skips what it already runs.
 */
public final class NodeWork {
  private NodeWork() {}

  /**
   * Ready actions for {@code node} at {@code now}. Fencing actions are the leader's ({@code leader}
   * true): the node to fence is the action's resource, and it cannot be asked to fence itself; a
   * pending one is not ready while failed attempts make it wait, or after the cluster gave up on it
   * ({@link FenceBackoff}, with the configuration's {@code properties}). (A pending fencing of a node
   * that is fenced already or heard again was cancelled by the state machine.)
   */
  public static List<PlannedAction> ready(ClusterState state, String node, boolean leader, java.time.Instant now,
      io.vigil.model.ClusterProperties properties) {
    return ready(state, node, leader, now, properties, "", java.util.Set.of());
  }

  /**
   * The same, for the daemon of {@code incarnation} that has just finished {@code doneHere} (action
   * ids of the current plan, successfully, not yet recorded): an action claimed for this very daemon
   * whose other predecessors are done is ready once those are finished here. This is how a group's
   * next step on the same node starts without waiting for the previous step's result to commit: its
   * claim was made with the previous step's ({@link #claimsAfter}), and the node itself knows that
   * step's outcome first.
   */
  public static List<PlannedAction> ready(ClusterState state, String node, boolean leader, java.time.Instant now,
      io.vigil.model.ClusterProperties properties, String incarnation, java.util.Set<String> doneHere) {
    Transition t = state.status().transition();
    if (t == null) return List.of();
    Map<String, Transition.ActionProgress> progress = t.progress();
    return Plan.decode(t.payload()).actions().stream()
        // What is claimed for this node, leader or not (a fencing action is claimed with the plan by
        // the leader that made it, which may have stepped down since; other actions may be claimed
        // for it by the leader or another node: claimedFor tells whether the claim is this daemon's);
        // what is pending, if its.
        .filter(a -> claimedBy(progress, a.id(), node)
            || phase(progress, a.id()) == Phase.PENDING
                && (a.kind().equals("FENCE") ? leader && !FenceBackoff.waiting(state, properties, a.resource(), now)
                    : a.node().equals(node)))
        .filter(a -> a.after().stream().allMatch(p -> phase(progress, p) == Phase.DONE
            || doneHere.contains(p) && claimedFor(state, node, incarnation, a.id())))
        .toList();
  }

  /**
   * The claims that the end of action {@code doneId} makes possible, to be recorded in the same log
   * entry as that end: every pending action (fencing stays the leader's) waiting for {@code doneId}
   * and for nothing else that is not done yet, on this node ({@code self}, claimed for
   * {@code selfIncarnation}) or on another node whose daemon's incarnation the state shows
   * ({@link #incarnationOf}). The next step of a group or an ordering — on this node or across
   * nodes, e.g. the start that waited for a fencing — then begins without a commit of its own. The
   * state machine still refuses a claim under a replaced plan or for a node lost meanwhile; the
   * predecessors are judged here, on a state that can only lag.
   */
  public static List<ActionProgress> claimsAfter(ClusterState state, String doneId, String self, String selfIncarnation, long millis) {
    Transition t = state.status().transition();
    if (t == null) return List.of();
    Map<String, Transition.ActionProgress> progress = t.progress();
    List<PlannedAction> actions = Plan.decode(t.payload()).actions();
    Map<String, ActionProgress> claims = new java.util.LinkedHashMap<>();
    for (PlannedAction a : actions) {
      if (a.kind().equals("FENCE") || a.id().equals(doneId) || phase(progress, a.id()) != Phase.PENDING || !a.after().contains(doneId)) continue;
      if (!a.after().stream().allMatch(p -> p.equals(doneId) || phase(progress, p) == Phase.DONE)) continue;
      String incarnation = a.node().equals(self) ? selfIncarnation : incarnationOf(state, a.node());
      if (!incarnation.isEmpty()) claims.put(a.id(), new ActionProgress(a.id(), Phase.RUNNING, 0, millis, a.node(), incarnation));
    }
    return withSameNodeSuccessors(actions, id -> id.equals(doneId) ? Phase.DONE : phase(progress, id), claims, millis);
  }

  /**
   * {@code claims} (action id to a RUNNING claim) with, added, the claims of every pending action
   * that waits only for actions done or claimed here <em>on its own node</em>, for the same node
   * and daemon (transitively: a group's whole chain on one node). That node then starts each step
   * as soon as it has finished the previous one itself ({@link #ready} with {@code doneHere}),
   * without a commit in between; if a step fails, it cancels the claims that waited for it
   * ({@link #claimedAfter}). Fencing is never claimed this way (it is the leader's).
   */
  static List<ActionProgress> withSameNodeSuccessors(List<PlannedAction> actions, java.util.function.Function<String, Phase> phase,
      Map<String, ActionProgress> claims, long millis) {
    Map<String, ActionProgress> all = new java.util.LinkedHashMap<>(claims);
    java.util.Set<String> fencing = new java.util.HashSet<>();
    for (PlannedAction a : actions) if (a.kind().equals("FENCE")) fencing.add(a.id());
    boolean grew = !all.isEmpty();
    while (grew) {
      grew = false;
      for (PlannedAction a : actions) {
        if (a.kind().equals("FENCE") || all.containsKey(a.id()) || phase.apply(a.id()) != Phase.PENDING) continue;
        ActionProgress via = null;
        boolean ok = true;
        for (String p : a.after()) {
          ActionProgress c = all.get(p);
          if (c != null && c.node().equals(a.node()) && !fencing.contains(p)) via = c;
          else if (phase.apply(p) != Phase.DONE) ok = false;
        }
        if (!ok || via == null) continue;
        all.put(a.id(), new ActionProgress(a.id(), Phase.RUNNING, 0, millis, via.node(), via.incarnation()));
        grew = true;
      }
    }
    return List.copyOf(all.values());
  }

  /**
   * The actions claimed for this daemon ({@code node}, {@code incarnation}) that wait, directly or
   * through one another, for {@code failedId}: they will not run now, so the node cancels their claims
   * with the failure (else the open claims would keep the leader from replacing the plan).
   */
  public static List<String> claimedAfter(ClusterState state, String failedId, String node, String incarnation) {
    Transition t = state.status().transition();
    if (t == null) return List.of();
    java.util.Set<String> waiting = new java.util.LinkedHashSet<>();
    java.util.Set<String> failed = new java.util.HashSet<>(java.util.Set.of(failedId));
    boolean grew = true;
    List<PlannedAction> actions = Plan.decode(t.payload()).actions();
    while (grew) {
      grew = false;
      for (PlannedAction a : actions) {
        if (waiting.contains(a.id()) || !claimedFor(state, node, incarnation, a.id())) continue;
        if (a.after().stream().anyMatch(failed::contains)) {
          waiting.add(a.id());
          failed.add(a.id());
          grew = true;
        }
      }
    }
    return List.copyOf(waiting);
  }

  /**
   * The incarnation a claim made for {@code node} by another node carries: its daemon's announced
   * one ({@link NodeStatus#INCARNATION}), or "" when there is none yet or the node is lost or fenced
   * (no claim is made for it then: the node claims itself, or the claim would be refused).
   */
  public static String incarnationOf(ClusterState state, String node) {
    NodeStatus ns = state.status().nodes().get(node);
    if (ns == null || ns.state() == NodeState.LOST || ns.state() == NodeState.FENCED) return "";
    return ns.incarnation();
  }

  /** Whether the current plan's action {@code id} is RUNNING under {@code node}'s claim (committed). */
  public static boolean claimedBy(ClusterState state, String node, String id) {
    Transition t = state.status().transition();
    return t != null && claimedBy(t.progress(), id, node);
  }

  /**
   * Whether the current plan's action {@code id} is claimed for this very daemon: RUNNING for
   * {@code node} with its {@code incarnation}. Such a claim is run without claiming again; any other
   * claim of the node (made for an earlier daemon, found in a log that may lag) is claimed again
   * through the log, which refuses it if the plan went on meanwhile.
   */
  public static boolean claimedFor(ClusterState state, String node, String incarnation, String id) {
    Transition t = state.status().transition();
    if (t == null || incarnation.isEmpty() || !claimedBy(t.progress(), id, node)) return false;
    return t.progress().get(id).incarnation().equals(incarnation);
  }

  /** Claimed by this node but not finished: its daemon restarted meanwhile, so it runs it again (OCF actions are idempotent). */
  private static boolean claimedBy(Map<String, Transition.ActionProgress> progress, String id, String node) {
    Transition.ActionProgress p = progress.get(id);
    return p != null && p.phase() == Phase.RUNNING && p.node().equals(node);
  }

  /** Where action {@code id} stands in {@code progress} (CANCELLED when it is not there). */
  static Phase phase(Map<String, Transition.ActionProgress> progress, String id) {
    Transition.ActionProgress p = progress.get(id);
    return p == null ? Phase.CANCELLED : p.phase();
  }
}
