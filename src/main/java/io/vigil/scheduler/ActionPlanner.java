package io.vigil.scheduler;

import io.vigil.model.Operation;
import io.vigil.model.Role;
import io.vigil.scheduler.Transition.Action;
import io.vigil.scheduler.Transition.Edge;
import io.vigil.scheduler.Transition.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns current and next roles into actions with ordering: fencing before anything that depends
 * on the fenced node; demote before stop; stops before starts of the same instance; start before
 * promote and before its recurring monitors; group members and mandatory orders chained.
 */
final class ActionPlanner {
  private final Context ctx;
  private final RolePlanner roles;
  final List<Action> actions = new ArrayList<>();
  final List<Edge> edges = new ArrayList<>();
  private final Map<Key, Integer> index = new java.util.HashMap<>();
  private final Map<First, Integer> firstOf = new java.util.HashMap<>();
  private final Map<First, List<Integer>> allOf = new java.util.HashMap<>();

  ActionPlanner(Context ctx, RolePlanner roles) {
    this.ctx = ctx;
    this.roles = roles;
  }

  // Key and First spell out equals and hashCode: the generated ones (an invokedynamic bootstrap and
  // method-handle calls) cost several milliseconds per simulation while the code still runs cold.
  private record Key(Kind kind, String rsc, String node, long interval) {
    @Override
    public int hashCode() {
      return ((kind.ordinal() * 31 + rsc.hashCode()) * 31 + java.util.Objects.hashCode(node)) * 31 + Long.hashCode(interval);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && kind == k.kind && interval == k.interval && rsc.equals(k.rsc)
          && java.util.Objects.equals(node, k.node);
    }
  }

  private record First(Kind kind, String rsc) {
    @Override
    public int hashCode() {
      return kind.ordinal() * 31 + rsc.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof First f && kind == f.kind && rsc.equals(f.rsc);
    }
  }

  private int add(Kind kind, String rsc, String node, long interval, boolean runnable) {
    Key key = new Key(kind, rsc, node, interval);
    Integer at = index.get(key);
    if (at != null) return at;
    actions.add(new Action(kind, rsc, node, interval, runnable));
    index.put(key, actions.size() - 1);
    firstOf.putIfAbsent(new First(kind, rsc), actions.size() - 1);
    allOf.computeIfAbsent(new First(kind, rsc), k -> new ArrayList<>()).add(actions.size() - 1);
    return actions.size() - 1;
  }

  private void edge(int first, int then) {
    if (first >= 0 && then >= 0 && first != then) edges.add(new Edge(first, then));
  }

  private java.util.Set<Inst> migrating = java.util.Set.of();

  /**
   * Which instances move by live migration: allow-migrate ones moving off a node that still runs
   * them, unless an earlier group member or a mandatory "first" is disrupted without migrating.
   */
  private java.util.Set<Inst> migrations() {
    java.util.Set<Inst> mig = new java.util.LinkedHashSet<>();
    for (Inst i : ctx.insts.values()) if (i.managed && !i.frozen && migratable(i, i.active())) mig.add(i);
    boolean changed = !mig.isEmpty();
    while (changed) {
      changed = false;
      for (Unit u : ctx.units) {
        boolean ok = true;
        for (Inst m : u.members) {
          if (!ok) changed |= mig.remove(m);
          if (roles.disrupted(m) && !mig.contains(m)) ok = false;
        }
      }
      for (io.vigil.model.Order o : ctx.orders) {
        if (o.kind() != io.vigil.model.Order.Kind.MANDATORY) continue;
        boolean blocked = roles.insts(o.first().get()).stream().anyMatch(f -> roles.disrupted(f) && !mig.contains(f));
        if (blocked) for (Inst t : roles.insts(o.then().get())) changed |= mig.remove(t);
      }
    }
    return mig;
  }

  void run() {
    migrating = migrations();
    Map<String, Integer> fences = new LinkedHashMap<>();
    for (String n : ctx.nodes) {
      if (ctx.nodeState.get(n) == io.vigil.status.NodeState.UNCLEAN && ctx.fencingEnabled) {
        fences.put(n, add(Kind.FENCE, n, n, 0, true));
        ctx.fence.add(n);
      }
    }
    java.util.List<Inst> all = new java.util.ArrayList<>(ctx.insts.values());
    all.addAll(ctx.orphans);
    for (Inst i : all) {
      if (!i.managed || i.frozen) continue;
      Map<String, Role> active = i.active();
      int lastStop = -1;
      int migrated = -1;
      if (migrating.contains(i)) {
        // live migration: migrate_to on the source, migrate_from on the target, then the source's
        // stop; the start on the target is the pseudo-action that completes it
        String src = active.keySet().iterator().next();
        int to = add(Kind.MIGRATE_TO, i.id, src, 0, true);
        migrated = add(Kind.MIGRATE_FROM, i.id, i.target, 0, true);
        edge(to, migrated);
        int stop = add(Kind.STOP, i.id, src, 0, true);
        edge(migrated, stop);
        active = Map.of();
      }
      for (Map.Entry<String, Role> e : active.entrySet()) {
        String n = e.getKey();
        boolean keep = n.equals(i.target) && active.size() == 1 && !roles.restart.contains(i);
        if (keep) continue;
        int stop = add(Kind.STOP, i.id, n, 0, true);
        if (e.getValue() == Role.PROMOTED) edge(add(Kind.DEMOTE, i.id, n, 0, true), stop);
        if (fences.containsKey(n)) edge(fences.get(n), stop);
        lastStop = stop;
      }
      if (i.target == null) continue;
      Role cur = active.size() == 1 && !roles.restart.contains(i) ? active.getOrDefault(i.target, Role.STOPPED)
          : Role.STOPPED;
      int start = -1;
      if (cur == Role.STOPPED) {
        start = add(Kind.START, i.id, i.target, 0, true);
        edge(lastStop, start);
        edge(migrated, start);
        for (int f : fences.values()) edge(f, start);
      }
      // the new role's monitors wait for the role change, as Pacemaker orders them: a Promoted
      // monitor run before the promotion would find 0 where it expects 8 (a failure)
      int roleChange = start;
      if (i.targetRole == Role.PROMOTED && cur != Role.PROMOTED) {
        roleChange = add(Kind.PROMOTE, i.id, i.target, 0, true);
        edge(start, roleChange);
        for (int f : fences.values()) edge(f, roleChange);
      } else if (i.targetRole != Role.PROMOTED && cur == Role.PROMOTED) {
        roleChange = add(Kind.DEMOTE, i.id, i.target, 0, true);
      }
      // Monitors go with a start or role change; a resource that stays gets the ones not active
      // there (as Pacemaker does when the history lacks them, e.g. after a new leader replanned).
      boolean stays = cur == i.targetRole && start < 0;
      java.util.Set<Long> running = stays && i.seen.containsKey(i.target) ? i.seen.get(i.target).recurring : java.util.Set.of();
      for (Operation op : i.prim.operations()) {
        if (!op.name().equals("monitor") || !op.isRecurring() || !op.enabled()) continue;
        if (stays && (i.targetRole == Role.STOPPED || running.contains(op.interval().toMillis()))) continue;
        Role r = op.role().orElse(null);
        boolean forRole = r == null ? i.targetRole != Role.PROMOTED : r == i.targetRole
            || (r == Role.STARTED && i.targetRole == Role.UNPROMOTED);
        if (forRole) edge(roleChange, add(Kind.MONITOR, i.id, i.target, op.interval().toMillis(), true));
      }
    }
    for (String n : ctx.nodes) {
      if (!ctx.canRun(n)) continue;
      for (Inst i : ctx.insts.values()) {
        if (i.unit.clone != null && i.unit.instanceNo > 0) continue;
        Set<String> seenHere = ctx.probedOn.getOrDefault(n, Set.of());
        if (seenHere.contains(i.prim.id()) || seenHere.contains(i.id)) continue;
        // one probe per (node, resource) by construction: no need to deduplicate
        actions.add(new Action(Kind.PROBE, i.unit.clone != null ? i.prim.id() : i.id, n, 0, true));
        probeBeforeStarts(actions.size() - 1, i);
      }
    }
    demotesBeforePromotes();
    chainGroups();
    orderEdges();
  }

  /**
   * In a promotable clone every demotion comes before any promotion, as Pacemaker orders them:
   * the new primary is promoted only once the old one is demoted — or, on a node being fenced,
   * once the fencing that implies the demotion is done. Without this a lost primary's peer was
   * promoted while the lost node was not fenced yet (two primaries).
   */
  private void demotesBeforePromotes() {
    for (CloneSet cs : ctx.clones) {
      if (!cs.promotable) continue;
      List<Integer> demotes = new ArrayList<>();
      List<Integer> promotes = new ArrayList<>();
      for (Unit u : cs.instances) {
        for (Inst i : u.members) {
          demotes.addAll(allOf.getOrDefault(new First(Kind.DEMOTE, i.id), List.of()));
          promotes.addAll(allOf.getOrDefault(new First(Kind.PROMOTE, i.id), List.of()));
        }
      }
      for (int d : demotes) for (int p : promotes) edge(d, p);
    }
  }

  /**
   * A resource starts, promotes or migrates only once it has been probed on every node where a
   * probe is planned, as Pacemaker orders a probe before its resource's start: a node that
   * rejoined has had its history forgotten and may still run the resource (a partition healed
   * before its lease ran out), and a start elsewhere in the meantime would run it twice. For a
   * clone the probe (of the primitive) comes before every instance's start.
   */
  private void probeBeforeStarts(int probe, Inst probed) {
    if (probed.unit.clone == null) {
      startsAfter(probe, probed);
      return;
    }
    for (Unit u : probed.unit.clone.instances) {
      for (Inst m : u.members) if (m.prim.id().equals(probed.prim.id())) startsAfter(probe, m);
    }
  }

  private static final List<Kind> STARTING = List.of(Kind.START, Kind.PROMOTE, Kind.MIGRATE_TO);

  /** Per instance id, its STARTING actions in that order; filled while probes are added (no starts are added then). */
  private final Map<String, List<Integer>> startingOf = new java.util.HashMap<>();

  private void startsAfter(int first, Inst i) {
    // the same instance is probed on every node without history: look its starts up once
    List<Integer> starting = startingOf.computeIfAbsent(i.id, id -> {
      List<Integer> out = new ArrayList<>();
      for (Kind k : STARTING) out.addAll(allOf.getOrDefault(new First(k, id), List.of()));
      return out;
    });
    for (int then : starting) edge(first, then);
  }

  /**
   * Order constraints between actions both in the graph: "first" action before "then" action
   * (Mandatory, Optional and Serialize alike: the graph only says what waits for what), and, when
   * symmetrical (the default except for Serialize), the inverse actions the other way round.
   * Edges that would close a cycle with the rest of the graph are left out (Pacemaker refuses such
   * configurations; an imported CIB may still carry one).
   */
  private void orderEdges() {
    int before = edges.size();
    for (io.vigil.model.Order o : ctx.orders) {
      Kind fa = kindOf(o.firstAction().orElse(io.vigil.model.Order.Action.START));
      Kind ta = kindOf(o.thenAction().orElse(fa == Kind.START ? io.vigil.model.Order.Action.START : actionOf(fa)));
      List<Inst> first = roles.insts(o.first().get());
      List<Inst> then = roles.insts(o.then().get());
      link(first, fa, then, ta);
      if (o.isSymmetrical()) link(then, inverse(ta), first, inverse(fa));
    }
    if (edges.size() > before) dropCycles(before);
  }

  private void link(List<Inst> first, Kind fa, List<Inst> then, Kind ta) {
    for (Inst f : first) {
      List<Integer> fs = allOf.get(new First(fa, f.id));
      if (fs == null) continue;
      for (Inst t : then) {
        List<Integer> ts = allOf.get(new First(ta, t.id));
        if (ts == null) continue;
        for (int a : fs) for (int b : ts) edge(a, b);
      }
    }
  }

  private static Kind kindOf(io.vigil.model.Order.Action a) {
    return switch (a) {
      case START -> Kind.START;
      case STOP -> Kind.STOP;
      case PROMOTE -> Kind.PROMOTE;
      case DEMOTE -> Kind.DEMOTE;
    };
  }

  private static io.vigil.model.Order.Action actionOf(Kind k) {
    return switch (k) {
      case STOP -> io.vigil.model.Order.Action.STOP;
      case PROMOTE -> io.vigil.model.Order.Action.PROMOTE;
      case DEMOTE -> io.vigil.model.Order.Action.DEMOTE;
      default -> io.vigil.model.Order.Action.START;
    };
  }

  private static Kind inverse(Kind k) {
    return switch (k) {
      case START -> Kind.STOP;
      case STOP -> Kind.START;
      case PROMOTE -> Kind.DEMOTE;
      default -> Kind.PROMOTE;
    };
  }

  /** Removes order edges (index >= from) among the actions left on a cycle, until the graph is acyclic. */
  private void dropCycles(int from) {
    while (true) {
      java.util.BitSet cyclic = GraphCheck.onCycles(actions.size(), edges);
      if (cyclic.isEmpty()) return;
      boolean removed = false;
      for (int k = edges.size() - 1; k >= from; k--) {
        Edge e = edges.get(k);
        if (cyclic.get(e.first()) && cyclic.get(e.then())) {
          edges.remove(k);
          removed = true;
          break;
        }
      }
      if (!removed) return;
    }
  }

  /** allow-migrate, started on exactly one healthy node, not failed, moving elsewhere, not a clone. */
  private boolean migratable(Inst i, Map<String, Role> active) {
    if (!i.meta.getOrDefault(io.vigil.model.Meta.ALLOW_MIGRATE) || i.unit.clone != null) return false;
    if (i.target == null || active.size() != 1 || roles.restart.contains(i)) return false;
    String src = active.keySet().iterator().next();
    Role r = active.get(src);
    io.vigil.status.NodeState st = ctx.nodeState.get(src);
    return !src.equals(i.target) && r == Role.STARTED && !i.seen.get(src).failed
        && (st == io.vigil.status.NodeState.ONLINE || st == io.vigil.status.NodeState.SHUTTING_DOWN);
  }

  private void chainGroups() {
    for (Unit u : ctx.units) chain(u);
    for (CloneSet cs : ctx.clones) for (Unit u : cs.instances) chain(u);
  }

  private void chain(Unit u) {
    for (int k = 1; k < u.members.size(); k++) {
      Inst prev = u.members.get(k - 1);
      Inst next = u.members.get(k);
      Integer ps = find(Kind.START, prev.id);
      Integer ns = find(Kind.START, next.id);
      if (ps != null && ns != null) edge(ps, ns);
      Integer pstop = find(Kind.STOP, prev.id);
      Integer nstop = find(Kind.STOP, next.id);
      if (pstop != null && nstop != null) edge(nstop, pstop);
    }
  }

  private Integer find(Kind kind, String rsc) {
    return firstOf.get(new First(kind, rsc));
  }
}
