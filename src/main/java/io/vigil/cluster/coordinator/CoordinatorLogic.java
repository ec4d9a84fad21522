package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Transition;
import io.vigil.cluster.state.Transition.ActionProgress;
import io.vigil.cluster.state.Transition.ActionProgress.Phase;
import io.vigil.model.ClusterConfig;
import io.vigil.scheduler.Scheduler;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the leader does next, as a pure function of the replicated state and the time.
 *
 * <p>Design notes. The leader never runs actions itself; it only (re)plans. A plan is replaced
 * only when no action of the current one is RUNNING, so an action is never executed twice and a
 * new leader can continue from the replicated state alone: it recomputes the plan, finds the
 * same pending actions (the status already reflects what is done) and lets the nodes go on. A
 * failed action, a configuration change or a changed world (a node lost, a monitor failed)
 * makes the fresh plan differ from what is pending, and the plan is replaced.
 */
public final class CoordinatorLogic {
  private CoordinatorLogic() {}

  /** The leader's decision. */
  public sealed interface Decision {}

  /** Nothing to do until the state changes (the nodes are executing, or all is in place). */
  public record Wait(String why) implements Decision {}

  /** Record a new plan. */
  public record Replan(Command.StartTransition command, Plan plan, List<String> unsupported) implements Decision {}

  /**
   * Decides for the current state; {@code config} is the model of the state's configuration
   * (the caller caches it per epoch).
   */
  public static Decision decide(ClusterState state, ClusterConfig config, boolean quorum, Instant now, String author) {
    Transition current = state.status().transition();
    if (!state.openClaims().isEmpty()) return new Wait("actions are running");
    io.vigil.scheduler.Transition t = Scheduler.schedule(config, StatusView.of(state, config, quorum, now), now);
    Plan fresh = Plan.of(t);
    Set<String> pending = current == null || current.configEpoch() != state.epoch() ? Set.of() : pendingIds(current);
    boolean failed = current != null && phases(current).contains(Phase.FAILED);
    if (!failed && !pending.isEmpty() && fresh.ids().equals(pending)) return new Wait("nodes are executing the plan");
    if (fresh.isEmpty() && pending.isEmpty() && !failed) return new Wait("every resource is where it should be");
    if (fresh.isEmpty() && current != null && current.progress().isEmpty()) return new Wait("nothing to do");
    Map<String, ActionProgress> progress = new LinkedHashMap<>();
    for (PlannedAction a : fresh.actions()) {
      // The leader runs fencing itself: a fencing action that waits for nothing is claimed with the
      // plan, in the same log entry, which saves recovery one Raft round trip.
      boolean claimNow = a.kind().equals("FENCE") && a.after().isEmpty() && !a.resource().equals(author);
      progress.put(a.id(), claimNow
          ? new ActionProgress(a.id(), Phase.RUNNING, 0, now.toEpochMilli(), author)
          : new ActionProgress(a.id(), Phase.PENDING, 0, now.toEpochMilli(), a.node()));
    }
    String id = "t" + state.version();
    Transition next = new Transition(id, state.epoch(), fresh.encode(), now.toEpochMilli(), progress);
    return new Replan(new Command.StartTransition(next, author, now.toEpochMilli()), fresh, t.unsupported());
  }

  private static Set<Phase> phases(Transition t) {
    Set<Phase> s = java.util.EnumSet.noneOf(Phase.class);
    t.progress().values().forEach(p -> s.add(p.phase()));
    return s;
  }

  private static Set<String> pendingIds(Transition t) {
    Set<String> ids = new TreeSet<>();
    t.progress().values().stream().filter(p -> p.phase() == Phase.PENDING).forEach(p -> ids.add(p.actionId()));
    return ids;
  }
}
