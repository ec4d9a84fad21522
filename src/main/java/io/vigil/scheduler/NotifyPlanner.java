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
  /** The meta attributes each NOTIFY action passes its agent, by action index (shared per operation). */
  final Map<Integer, Map<String, String>> meta = new java.util.HashMap<>();

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
        meta.keySet().removeIf(k -> k >= actionsBefore);
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
      Map<String, String> preVars = variables(insts, op, "pre");
      Map<String, String> postVars = variables(insts, op, "post");
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
          meta.put(n, preVars);
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
        meta.put(n, postVars);
        edge(post, n);
        edge(n, postDone);
      }
      previousConfirmed = postDone;
    }
  }

  /**
   * The notification variables Pacemaker passes (as {@code OCF_RESKEY_CRM_meta_notify_*}): the
   * type and operation, which instances start, stop, promote and demote where in this transition,
   * and which are active, inactive, promoted and unpromoted before it (with the old names master
   * and slave too). Lists are space-separated, instance and node lists in the same order; an empty
   * list is a single space, as Pacemaker passes it.
   */
  private Map<String, String> variables(List<Inst> insts, Op op, String type) {
    Map<String, String> v = new java.util.TreeMap<>();
    v.put("notify_type", type);
    v.put("notify_operation", op.name());
    v.put("notify_key_type", type);
    v.put("notify_key_operation", op.name());
    java.util.Set<String> ids = new java.util.HashSet<>();
    insts.forEach(i -> ids.add(i.id));
    for (Op each : OPS) {
      List<String> rsc = new ArrayList<>();
      List<String> on = new ArrayList<>();
      for (Action a : actions) {
        if (a.kind() == each.kind() && ids.contains(a.resource())) {
          rsc.add(a.resource());
          on.add(a.node());
        }
      }
      v.put("notify_" + each.name() + "_resource", list(rsc));
      v.put("notify_" + each.name() + "_uname", list(on));
    }
    List<String> active = new ArrayList<>();
    List<String> activeOn = new ArrayList<>();
    List<String> inactive = new ArrayList<>();
    List<String> promoted = new ArrayList<>();
    List<String> promotedOn = new ArrayList<>();
    List<String> unpromoted = new ArrayList<>();
    List<String> unpromotedOn = new ArrayList<>();
    for (Inst i : insts) {
      if (i.active().isEmpty()) inactive.add(i.id);
      for (Map.Entry<String, Role> e : i.active().entrySet()) {
        active.add(i.id);
        activeOn.add(e.getKey());
        if (e.getValue() == Role.PROMOTED) {
          promoted.add(i.id);
          promotedOn.add(e.getKey());
        } else {
          unpromoted.add(i.id);
          unpromotedOn.add(e.getKey());
        }
      }
    }
    v.put("notify_active_resource", list(active));
    v.put("notify_active_uname", list(activeOn));
    v.put("notify_inactive_resource", list(inactive));
    for (String name : List.of("promoted", "master")) {
      v.put("notify_" + name + "_resource", list(promoted));
      v.put("notify_" + name + "_uname", list(promotedOn));
    }
    for (String name : List.of("unpromoted", "slave")) {
      v.put("notify_" + name + "_resource", list(unpromoted));
      v.put("notify_" + name + "_uname", list(unpromotedOn));
    }
    v.put("notify_available_uname", list(ctx.nodes.stream().filter(ctx::canRun).toList()));
    v.put("notify_all_uname", list(ctx.nodes));
    return java.util.Collections.unmodifiableMap(v);
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? " " : String.join(" ", items);
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
