package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Transition;
import io.vigil.cluster.state.Transition.ActionProgress.Phase;
import java.util.List;
import java.util.Map;

/**
 * Which actions of the current plan a node may start now: its own, pending (or claimed by it and
 * never finished), with every predecessor done. The caller skips what it already runs.
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
    Transition t = state.status().transition();
    if (t == null) return List.of();
    Map<String, Transition.ActionProgress> progress = t.progress();
    return Plan.decode(t.payload()).actions().stream()
        // What this node claimed it runs, leader or not (a fencing action is claimed with the plan
        // by the leader that made it, which may have stepped down since); what is pending, if its.
        .filter(a -> claimedBy(progress, a.id(), node)
            || phase(progress, a.id()) == Phase.PENDING
                && (a.kind().equals("FENCE") ? leader && !FenceBackoff.waiting(state, properties, a.resource(), now)
                    : a.node().equals(node)))
        .filter(a -> a.after().stream().allMatch(p -> phase(progress, p) == Phase.DONE))
        .toList();
  }

  /**
   * The actions of {@code node} that the end of its own action {@code doneId} makes ready: pending,
   * waiting for {@code doneId}, and for nothing else that is not done yet. The node claims them in
   * the same log entry as that end (fencing stays the leader's). The state machine still refuses a
   * claim under a replaced plan; the predecessors are judged here, on a state that can only lag.
   */
  public static List<PlannedAction> readyAfter(ClusterState state, String node, String doneId) {
    Transition t = state.status().transition();
    if (t == null) return List.of();
    Map<String, Transition.ActionProgress> progress = t.progress();
    return Plan.decode(t.payload()).actions().stream()
        .filter(a -> !a.kind().equals("FENCE") && a.node().equals(node) && !a.id().equals(doneId))
        .filter(a -> phase(progress, a.id()) == Phase.PENDING && a.after().contains(doneId))
        .filter(a -> a.after().stream().allMatch(p -> p.equals(doneId) || phase(progress, p) == Phase.DONE))
        .toList();
  }

  /** Whether the current plan's action {@code id} is RUNNING under {@code node}'s claim (committed). */
  public static boolean claimedBy(ClusterState state, String node, String id) {
    Transition t = state.status().transition();
    return t != null && claimedBy(t.progress(), id, node);
  }

  /** Claimed by this node but not finished: its daemon restarted meanwhile, so it runs it again (OCF actions are idempotent). */
  private static boolean claimedBy(Map<String, Transition.ActionProgress> progress, String id, String node) {
    Transition.ActionProgress p = progress.get(id);
    return p != null && p.phase() == Phase.RUNNING && p.node().equals(node);
  }

  private static Phase phase(Map<String, Transition.ActionProgress> progress, String id) {
    Transition.ActionProgress p = progress.get(id);
    return p == null ? Phase.CANCELLED : p.phase();
  }
}
