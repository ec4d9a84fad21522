package io.vigil.scheduler;

import io.vigil.model.Meta;
import io.vigil.model.Role;
import io.vigil.scheduler.Transition.Action;
import io.vigil.scheduler.Transition.Edge;
import io.vigil.scheduler.Transition.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Clone notifications ({@code notify=true}) as Pacemaker schedules them: for each operation the
 * clone's instances perform (demote, stop, start, promote, in that order), the pseudo-actions
 * {@code C_pre_notify_OP}, {@code C_confirmed-pre_notify_OP}, {@code C_post_notify_OPED} and
 * {@code C_confirmed-post_notify_OPED}; a pre-notification to every instance active before (on
 * its current node) and a post-notification to every instance active after (on its target);
 * ordered pre-notify, notifications, confirmation, the operation's actions, post-notify,
 * notifications, confirmation, and each operation's confirmation before the next operation's
 * pre-notify. Appended after the other actions; left out if they would close a cycle.
 */
final class NotifyPlanner {
  private record Op(Kind kind, String name, String done) {}

  private static final List<Op> OPS = List.of(new Op(Kind.DEMOTE, "demote", "demoted"),
      new Op(Kind.STOP, "stop", "stopped"), new Op(Kind.START, "start", "running"),
      new Op(Kind.PROMOTE, "promote", "promoted"));

  private final Context ctx;
  private final List<Action> actions;
  private final List<Edge> edges;

  NotifyPlanner(Context ctx, List<Action> actions, List<Edge> edges) {
    this.ctx = ctx;
    this.actions = actions;
    this.edges = edges;
  }

  void run() {
    for (CloneSet cs : ctx.clones) {
      if (!cs.clone.meta().getOrDefault(Meta.NOTIFY)) continue;
      int actionsBefore = actions.size();
      int edgesBefore = edges.size();
      plan(cs);
      if (edges.size() > edgesBefore && !GraphCheck.onCycles(actions.size(), edges).isEmpty()) {
        edges.subList(edgesBefore, edges.size()).clear();
        actions.subList(actionsBefore, actions.size()).clear();
        ctx.unsupported.add("unsupported: notifications of clone '" + cs.clone.id() + "' cannot be ordered here");
      }
    }
  }

  private void plan(CloneSet cs) {
    List<Inst> insts = new ArrayList<>();
    for (Unit u : cs.instances) insts.addAll(u.members);
    java.util.Set<String> ids = new java.util.HashSet<>();
    insts.forEach(i -> ids.add(i.id));
    String c = cs.clone.id();
    int previousConfirmed = -1;
    for (Op op : OPS) {
      List<Integer> opActions = new ArrayList<>();
      for (int k = 0; k < actions.size(); k++) {
        Action a = actions.get(k);
        if (a.kind() == op.kind() && ids.contains(a.resource())) opActions.add(k);
      }
      if (opActions.isEmpty()) continue;
      int pre = pseudo(c, "pre_notify_" + op.name());
      int preDone = pseudo(c, "confirmed-pre_notify_" + op.name());
      int post = pseudo(c, "post_notify_" + op.done());
      int postDone = pseudo(c, "confirmed-post_notify_" + op.done());
      edge(previousConfirmed, pre);
      edge(pre, preDone);
      for (Inst i : insts) {
        for (Map.Entry<String, Role> e : i.active().entrySet()) {
          if (!i.managed || !reachable(e.getKey())) continue;
          int n = notify(i.id, e.getKey(), "pre_notify_" + op.name());
          edge(pre, n);
          edge(n, preDone);
        }
      }
      for (int a : opActions) {
        edge(preDone, a);
        edge(a, post);
      }
      edge(post, postDone);
      for (Inst i : insts) {
        if (i.target == null || i.targetRole == Role.STOPPED || !reachable(i.target)) continue;
        int n = notify(i.id, i.target, "post_notify_" + op.name());
        edge(post, n);
        edge(n, postDone);
      }
      previousConfirmed = postDone;
    }
  }

  /** Notifications go only to nodes that run their controller. */
  private boolean reachable(String node) {
    var st = ctx.nodeState.get(node);
    return st == io.vigil.status.NodeState.ONLINE || st == io.vigil.status.NodeState.SHUTTING_DOWN;
  }

  private int pseudo(String clone, String task) {
    actions.add(new Action(Kind.PSEUDO, clone, "", 0, true, task));
    return actions.size() - 1;
  }

  private int notify(String instance, String node, String task) {
    actions.add(new Action(Kind.NOTIFY, instance, node, 0, true, task));
    return actions.size() - 1;
  }

  private void edge(int first, int then) {
    if (first >= 0 && then >= 0 && first != then) edges.add(new Edge(first, then));
  }
}
