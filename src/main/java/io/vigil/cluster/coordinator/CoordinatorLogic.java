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
    io.vigil.scheduler.Transition t = Scheduler.schedule(config, StatusView.of(state, config, quorum, now), now,
        Scheduler.Options.WITH_NOTIFICATIONS);
    Plan fresh = Plan.of(t);
    Set<String> pending = current == null || current.configEpoch() != state.epoch() ? Set.of() : pendingIds(current);
    boolean failed = current != null && phases(current).contains(Phase.FAILED);
    // Notifications are left out of the comparison: which instances a notification goes to
    // changes as the plan's own steps complete (a started instance is then notified too), and
    // that alone must not replace a plan that is going as planned (Pacemaker does not abort one).
    // An anonymous clone's instance numbers are compared away too: the scheduler may number the
    // same instances differently once their starts are recorded.
    Set<String> anonymous = StatusView.anonymousClonePrimitives(config);
    Set<String> freshSteps = steps(fresh.ids(), anonymous);
    Set<String> pendingSteps = steps(pending, anonymous);
    if (!failed && !pending.isEmpty() && freshSteps.equals(pendingSteps)) {
      return new Wait(pendingSteps.isEmpty() ? "nodes are delivering the plan's notifications" : "nodes are executing the plan");
    }
    if (fresh.isEmpty() && pending.isEmpty() && !failed) return new Wait("every resource is where it should be");
    if (fresh.isEmpty() && current != null && current.progress().isEmpty()) return new Wait("nothing to do");
    Map<String, ActionProgress> progress = new LinkedHashMap<>();
    for (PlannedAction a : fresh.actions()) {
      // The leader runs fencing itself: a fencing action that waits for nothing is claimed with the
      // plan, in the same log entry, which saves recovery one Raft round trip; unless earlier failures
      // make it wait (it stays pending, and the leader claims it when the backoff ends: NodeWork).
      boolean claimNow = a.kind().equals("FENCE") && a.after().isEmpty() && !a.resource().equals(author)
          && !FenceBackoff.waiting(state, config.properties(), a.resource(), now);
      // Any other action that waits for nothing is claimed with the plan for the node that runs it,
      // when the state shows that node's daemon (its incarnation): the node starts it as soon as it
      // sees the plan, without a commit of its own claim (a restarted daemon claims it again).
      String forNode = a.kind().equals("FENCE") || !a.after().isEmpty() ? "" : NodeWork.incarnationOf(state, a.node());
      progress.put(a.id(), claimNow
          ? new ActionProgress(a.id(), Phase.RUNNING, 0, now.toEpochMilli(), author, NodeWork.incarnationOf(state, author))
          : !forNode.isEmpty() ? new ActionProgress(a.id(), Phase.RUNNING, 0, now.toEpochMilli(), a.node(), forNode)
          : new ActionProgress(a.id(), Phase.PENDING, 0, now.toEpochMilli(), a.node()));
    }
    // A first step's successors on the same node are claimed for it too: it runs them one after the
    // other without a commit in between (NodeWork.withSameNodeSuccessors).
    Map<String, ActionProgress> first = new LinkedHashMap<>();
    progress.values().stream().filter(p -> p.phase() == Phase.RUNNING).forEach(p -> first.put(p.actionId(), p));
    for (ActionProgress p : NodeWork.withSameNodeSuccessors(fresh.actions(),
        x -> NodeWork.phase(progress, x), first, now.toEpochMilli())) {
      progress.put(p.actionId(), p);
    }
    String id = "t" + state.version();
    Transition next = new Transition(id, state.epoch(), fresh.encode(), now.toEpochMilli(), progress);
    return new Replan(new Command.StartTransition(next, author, now.toEpochMilli()), fresh, t.unsupported());
  }

  /**
   * What the leader records for a node's LOST mark: the mark with the plan it leads to (fencing the
   * node, recovering what it ran) in one batch, or the mark alone when the state machine would refuse
   * it or no new plan follows from it. The plan is recorded only if the mark is ({@link Command.Batch}).
   */
  public static Command withLostMark(ClusterState state, ClusterConfig config, Command.SetNodeState lost, Instant now, String author) {
    var marked = io.vigil.cluster.state.Apply.apply(state, lost);
    if (!marked.result().accepted() || !(decide(marked.state(), config, true, now, author) instanceof Replan r)) return lost;
    return new Command.Batch(List.of(lost, r.command()), author, now.toEpochMilli());
  }

  /** Action ids without notifications, and with anonymous clones' instance numbers dropped. */
  private static Set<String> steps(Set<String> ids, Set<String> anonymous) {
    Set<String> out = new TreeSet<>();
    for (String id : ids) {
      if (id.startsWith("NOTIFY-")) continue;
      var a = io.vigil.cluster.state.ActionId.parse(id).orElse(null);
      String base = a == null ? "" : StatusView.baseId(a.resource());
      out.add(a != null && anonymous.contains(base) ? io.vigil.cluster.state.ActionId.format(a.kind(), base, a.node(), a.intervalMs()) : id);
    }
    return out;
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
