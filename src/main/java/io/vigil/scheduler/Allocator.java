package io.vigil.scheduler;

import io.vigil.model.Colocation;
import io.vigil.model.Constraint;
import io.vigil.model.Location;
import io.vigil.model.Meta;
import io.vigil.model.Role;
import io.vigil.model.Rule;
import io.vigil.model.Score;
import io.vigil.status.FailCounts;
import io.vigil.status.NodeStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Score-based assignment of units to nodes, following Pacemaker's semantics.
 *
 * <p>Design notes. Each unit (primitive, group, clone instance) starts from a node table: 0 on
 * every node in a symmetric cluster (-INFINITY otherwise), plus location scores, plus stickiness
 * on the node it runs on, with -INFINITY where it may not run (node unavailable, failures at or
 * above migration-threshold, hard errors, target-role Stopped). Units are assigned in order of
 * priority, then by their score on their current node. Assigning a unit first assigns the units
 * it is colocated with (the primaries), applies those colocation scores, then folds in the
 * attenuated preferences of units colocated with it (influence). The best node wins; on a tie
 * the current node, then the node with fewer assigned resources, then the lowest name. A node
 * with a negative score is never chosen.
 */
final class Allocator {
  private final Context ctx;
  private final HistoryInterpreter history;
  private final RuleEvaluator rules;
  private final Map<String, Integer> assignedCount = new HashMap<>();
  private final List<Colocation> colocations = new ArrayList<>();
  private final Map<Object, Map<String, Score>> base = new HashMap<>();
  private final Capacity capacity;
  private final Map<String, List<Location>> locationsById = new HashMap<>();
  private final List<Location> patternLocations = new ArrayList<>();
  private final Map<String, List<Colocation>> byDependent = new HashMap<>();
  private final Map<String, List<Colocation>> byPrimary = new HashMap<>();
  private final Map<String, Integer> configIndex = new HashMap<>();
  // by identity: a record's generated hashCode over every field is slow in a cold run
  private final Map<Colocation, Integer> colocationIndex = new java.util.IdentityHashMap<>();

  /** Records where scores come from when not null ({@link ScoreTrail}). */
  private final ScoreTrail trail;

  Allocator(Context ctx, HistoryInterpreter history) {
    this(ctx, history, false);
  }

  Allocator(Context ctx, HistoryInterpreter history, boolean explain) {
    this.trail = explain ? new ScoreTrail() : null;
    this.ctx = ctx;
    this.history = history;
    this.rules = new RuleEvaluator(ctx.unsupported, ctx.warnings, ctx.now, ctx::recheckBy);
    this.capacity = new Capacity(ctx);
    int k = 0;
    for (var r : ctx.config.resources()) configIndex.put(r.id(), k++);
    for (Colocation col : ctx.colocations) {
      if (col.nodeAttribute().isPresent() && !col.nodeAttribute().get().equals("#uname")) {
        ctx.unsupported.add("unsupported: colocation node-attribute ('" + col.id() + "')");
      }
      if (ctx.byId.containsKey(col.resource().get()) && ctx.byId.containsKey(col.with().get())) {
        colocationIndex.put(col, colocations.size());
        colocations.add(col);
        byDependent.computeIfAbsent(col.resource().get(), x -> new ArrayList<>()).add(col);
        byPrimary.computeIfAbsent(col.with().get(), x -> new ArrayList<>()).add(col);
      }
    }
    for (Constraint c : ctx.config.constraints()) {
      if (c instanceof Location l) {
        if (l.resource().isPresent()) locationsById.computeIfAbsent(l.resource().get(), x -> new ArrayList<>()).add(l);
        else patternLocations.add(l);
      }
    }
  }

  /** Final node scores per unit or clone id, after colocations, for --scores. */
  List<Transition.AllocationScore> scores() {
    List<Transition.AllocationScore> out = new ArrayList<>();
    List<Object> all = new ArrayList<>(ctx.units);
    all.addAll(ctx.clones);
    for (Object o : all) {
      String id = o instanceof Unit u ? u.config.id() : ((CloneSet) o).clone.id();
      Map<String, Score> m = base.get(o);
      for (String n : ctx.nodes) {
        out.add(new Transition.AllocationScore(id, n, Scores.get(m, n), trail == null ? List.of() : trail.of(id, n)));
      }
    }
    return out;
  }

  void run() {
    for (Unit u : ctx.units) base.put(u, unitBase(u));
    for (CloneSet cs : ctx.clones) base.put(cs, cloneBase(cs));
    List<Object> order = new ArrayList<>();
    order.addAll(ctx.units);
    order.addAll(ctx.clones);
    List<Object> configOrder = new ArrayList<>(order);
    configOrder.sort(Comparator.comparingInt(o -> configIndex(o)));
    // Pacemaker sorts by priority and current score only under a non-default placement-strategy;
    // otherwise resources are assigned in configuration order.
    if (capacity.enforced()) {
      configOrder.sort(Comparator.comparingInt((Object o) -> -priority(o))
          .thenComparing(o -> -currentScore(o)));
    }
    for (Object o : configOrder) assign(o);
  }

  private int configIndex(Object o) {
    String id = o instanceof Unit u ? u.config.id() : ((CloneSet) o).clone.id();
    return configIndex.getOrDefault(id, Integer.MAX_VALUE);
  }

  private static int priority(Object o) {
    return o instanceof Unit u ? u.priority : ((CloneSet) o).priority;
  }

  private int currentScore(Object o) {
    if (o instanceof Unit u) {
      String n = u.currentNode();
      return n == null ? -Score.INFINITY_VALUE : Scores.get(base.get(u), n).value();
    }
    return -Score.INFINITY_VALUE;
  }

  // ---- base scores -------------------------------------------------------------------------

  /** A copy to diff against after a step, while recording ({@link ScoreTrail}); null otherwise. */
  private Map<String, Score> before(Map<String, Score> m) {
    return trail == null ? null : ScoreTrail.copy(m);
  }

  private void step(String owner, String label, Map<String, Score> before, Map<String, Score> after) {
    if (trail != null) trail.step(owner, label, before, after, ctx.nodes);
  }

  /** The first line of every node's trail: where a score starts. */
  private void traceStart() {
    if (trail == null) return;
    for (String n : ctx.nodes) {
      trail.add(traceOwner, n, ctx.symmetric ? "symmetric cluster: 0" : "asymmetric cluster: no score until a location allows the node");
    }
  }

  /** Who the location steps are recorded for, and a prefix ("member db: "), while recording. */
  private String traceOwner = "";
  private String tracePrefix = "";

  private Map<String, Score> initial() {
    Map<String, Score> m = new LinkedHashMap<>();
    if (ctx.symmetric) for (String n : ctx.nodes) m.put(n, Score.ZERO);
    return m;
  }

  private void applyLocations(Map<String, Score> m, Set<String> ids, boolean promotedOnly) {
    List<Location> candidates = new ArrayList<>(patternLocations);
    for (String id : ids) candidates.addAll(locationsById.getOrDefault(id, List.of()));
    candidates.sort(Comparator.comparingInt(l -> constraintOrder(l)));
    for (Location l : candidates) {
      boolean promotedRule = l.rules().stream().anyMatch(r -> r.role().orElse(Role.STARTED) == Role.PROMOTED);
      if (!promotedOnly && l.role().orElse(Role.STARTED) == Role.PROMOTED) continue;
      if (promotedOnly && l.role().orElse(Role.STARTED) != Role.PROMOTED && !promotedRule) continue;
      boolean applies = l.resource().map(ids::contains).orElse(false)
          || l.resourcePattern().map(p -> ids.stream().anyMatch(id -> safeMatches(p, id))).orElse(false);
      if (!applies) continue;
      Map<String, Score> b = before(m);
      if (l.node().isPresent()) {
        String n = l.node().get();
        if (!ctx.nodeState.containsKey(n)) continue;
        applyOne(m, n, l.score().get());
      } else {
        for (Rule r : l.rules()) {
          if (r.role().orElse(Role.STARTED) == Role.PROMOTED && !promotedOnly) continue;
          for (String n : ctx.nodes) {
            if (rules.matches(r, ctx.nodeAttrs.get(n))) applyOne(m, n, ruleScore(r, n));
          }
        }
      }
      if (trail != null) step(traceOwner, tracePrefix + "location " + l.id() + (l.node().isPresent() ? "" : " (rule)"), b, m);
    }
  }

  /**
   * A matching rule's score on a node: its score, or the value of its score-attribute there
   * (-INFINITY where the node lacks it, as Pacemaker's get_node_score).
   */
  private Score ruleScore(Rule r, String node) {
    if (r.scoreAttribute().isEmpty()) return r.score().orElse(Score.ZERO);
    String v = ctx.nodeAttrs.get(node).get(r.scoreAttribute().get());
    if (v == null) return Score.MINUS_INFINITY;
    try {
      return Score.parse(v);
    } catch (IllegalArgumentException e) {
      return Score.ZERO;
    }
  }

  private final Map<Location, Integer> constraintIndex = new HashMap<>();

  private int constraintOrder(Location l) {
    if (constraintIndex.isEmpty()) {
      int k = 0;
      for (Constraint c : ctx.config.constraints()) if (c instanceof Location x) constraintIndex.put(x, k++);
    }
    return constraintIndex.getOrDefault(l, 0);
  }

  private static boolean safeMatches(String pattern, String id) {
    try {
      return id.matches(pattern);
    } catch (java.util.regex.PatternSyntaxException e) {
      return false;
    }
  }

  private void applyOne(Map<String, Score> m, String n, Score s) {
    m.put(n, m.containsKey(n) ? m.get(n).plus(s) : s);
  }

  private void banUnavailable(Map<String, Score> m) {
    banUnavailable(m, true);
  }

  private void banUnavailable(Map<String, Score> m, boolean record) {
    for (String n : ctx.nodes) {
      if (ctx.canRun(n)) continue;
      if (record && trail != null && !Scores.get(m, n).isMinusInfinity()) trail.add(traceOwner, n, "node cannot run resources (" + whyUnavailable(n) + "): -INFINITY");
      m.put(n, Score.MINUS_INFINITY);
    }
  }

  private String whyUnavailable(String n) {
    if (ctx.standby.contains(n)) return "standby";
    if (ctx.maintenance.contains(n)) return "maintenance";
    var s = ctx.nodeState.get(n);
    return s == null ? "unknown" : s.toString().toLowerCase(java.util.Locale.ROOT);
  }

  private void applyFailures(Map<String, Score> m, Inst i, String banKey) {
    // Threshold and timeout are parsed only for a resource with failures (per instance and node,
    // they dominated this method in a cold run).
    Score threshold = null;
    Duration timeout = null;
    for (String n : ctx.nodes) {
      NodeStatus ns = ctx.statusByName.get(n);
      Set<String> failed = ctx.failedIds.getOrDefault(n, Set.of());
      boolean anonymous = i.unit.clone != null && !i.unit.clone.unique;
      List<String> rids = new ArrayList<>();
      for (String f : failed) {
        // anonymous clone instances share fail counts whatever instance number they were recorded under
        if (f.equals(i.id) || f.equals(i.prim.id()) || (anonymous && f.startsWith(i.prim.id() + ":"))) rids.add(f);
      }
      if (ns != null && !rids.isEmpty() && threshold == null) {
        // failures that are ignored (on-fail=ignore) never count against the threshold
        threshold = i.failureIgnored ? Score.ZERO : i.meta.getOrDefault(Meta.MIGRATION_THRESHOLD);
        timeout = i.meta.getOrDefault(Meta.FAILURE_TIMEOUT);
      }
      if (ns != null && !rids.isEmpty() && threshold.value() > 0) {
        long total = 0;
        java.time.Instant last = null;
        for (String rid : rids) {
          for (FailCounts.Failure f : FailCounts.of(ns, rid)) {
            total = Math.min(Score.INFINITY_VALUE, total + f.count());
            if (f.lastFailure().isPresent() && (last == null || f.lastFailure().get().isAfter(last))) {
              last = f.lastFailure().get();
            }
          }
        }
        // Pacemaker forgets all failures once the newest is older than failure-timeout.
        boolean expired = !timeout.isZero() && last != null && ctx.now.isAfter(last.plus(timeout));
        if (!expired && total >= threshold.value()) {
          m.put(n, Score.MINUS_INFINITY);
          // the ban lifts when the failures expire: the first whole second after last + timeout
          if (!timeout.isZero() && last != null) ctx.recheckBy(last.plus(timeout).plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
      }
      if (history.bannedNodes.getOrDefault(banKey, Set.of()).contains(n)) m.put(n, Score.MINUS_INFINITY);
    }
    if (history.bannedEverywhere.contains(banKey)) ctx.nodes.forEach(n -> m.put(n, Score.MINUS_INFINITY));
  }

  private void applyStickiness(Map<String, Score> m, Inst i) {
    Score stick = i.meta.get(Meta.STICKINESS).orElse(Score.ZERO);
    if (stick.value() == 0 || !i.managed) return;
    Map<String, Role> active = i.active();
    if (active.size() != 1) return;
    String n = active.keySet().iterator().next();
    if (i.seen.get(n).failed) return;
    Scores.add(m, n, stick);
  }

  private Map<String, Score> unitBase(Unit u) {
    traceOwner = u.config.id();
    tracePrefix = "";
    Map<String, Score> group = initial();
    traceStart();
    applyLocations(group, Set.of(u.config.id()), false);
    Map<String, Score> first = null;
    Map<String, Score> sum = new LinkedHashMap<>(group);
    for (Inst i : u.members) {
      if (trail != null) tracePrefix = u.members.size() > 1 || !u.config.id().equals(i.prim.id()) ? "member " + i.prim.id() + ": " : "";
      Map<String, Score> mine = new LinkedHashMap<>();
      for (String n : ctx.nodes) mine.put(n, Score.ZERO);
      if (!u.config.id().equals(i.prim.id())) applyLocations(mine, Set.of(i.prim.id()), false);
      Map<String, Score> b = before(mine);
      applyStickiness(mine, i);
      if (trail != null) step(traceOwner, tracePrefix + "resource-stickiness where it runs", b, mine);
      b = before(mine);
      applyFailures(mine, i, HistoryInterpreter.banKey(i));
      if (trail != null) step(traceOwner, tracePrefix + "failures (migration-threshold, or banned after a failed stop or fatal start)", b, mine);
      if (i.meta.getOrDefault(Meta.TARGET_ROLE) == Role.STOPPED && u.members.indexOf(i) == 0) {
        b = before(mine);
        ctx.nodes.forEach(n -> mine.put(n, Score.MINUS_INFINITY));
        if (trail != null) step(traceOwner, tracePrefix + "target-role=Stopped", b, mine);
      }
      for (String n : ctx.nodes) {
        if (mine.containsKey(n)) sum.put(n, Scores.get(sum, n).plus(mine.get(n)));
      }
      i.ownScores = mine;
      if (first == null) first = new LinkedHashMap<>(sum);
    }
    tracePrefix = "";
    banUnavailable(sum);
    if (first != null) banUnavailable(first, false);
    if (!Scores.anyAvailable(sum, ctx.nodes) && first != null) {
      if (trail != null) {
        for (String n : ctx.nodes) trail.add(traceOwner, n, "no node can run every member: the first member's scores count (" + Scores.get(first, n) + ")");
      }
      return first;
    }
    return sum;
  }

  private Map<String, Score> cloneBase(CloneSet cs) {
    traceOwner = cs.clone.id();
    tracePrefix = "";
    Map<String, Score> m = initial();
    traceStart();
    Set<String> ids = new java.util.LinkedHashSet<>();
    ids.add(cs.clone.id());
    ids.add(cs.clone.child().id());
    applyLocations(m, ids, false);
    Map<String, Score> b = before(m);
    for (Unit u : cs.instances) {
      for (Inst i : u.members) {
        Map<String, Score> bans = new LinkedHashMap<>();
        applyFailures(bans, i, HistoryInterpreter.banKey(i));
        bans.forEach((n, s) -> {
          if (s.isMinusInfinity() && (!cs.unique)) m.put(n, Score.MINUS_INFINITY);
        });
      }
    }
    step(traceOwner, "an instance failed here (migration-threshold, or banned after a failed stop or fatal start)", b, m);
    b = before(m);
    for (Unit u : cs.instances) {
      for (Inst i : u.members) {
        if (i.meta.getOrDefault(Meta.TARGET_ROLE) == Role.STOPPED) {
          ctx.nodes.forEach(n -> m.put(n, Score.MINUS_INFINITY));
        }
      }
    }
    step(traceOwner, "target-role=Stopped", b, m);
    banUnavailable(m);
    return m;
  }

  // ---- assignment ---------------------------------------------------------------------------

  private void assign(Object o) {
    if (o instanceof Unit u) assignUnit(u);
    else assignClone((CloneSet) o);
  }

  private Map<String, Score> work(Object o) {
    return base.get(o);
  }

  /**
   * Whether {@code list} holds {@code c} or an equal colocation. Colocations with different ids are
   * never equal, so the generated equals (an invokedynamic bootstrap, costly the first time in a
   * cold run) is called only for a duplicate id.
   */
  private static boolean holds(List<Colocation> list, Colocation c) {
    for (Colocation x : list) if (x == c || (x.id().equals(c.id()) && x.equals(c))) return true;
    return false;
  }

  private List<Colocation> thisWith(String... ids) {
    List<Colocation> out = new ArrayList<>();
    for (String id : ids) for (Colocation c : byDependent.getOrDefault(id, List.of())) if (!holds(out, c)) out.add(c);
    out.sort(Comparator.comparingInt(c -> colocationIndex.get(c)));
    out.sort(Comparator.comparingInt((Colocation c) -> c.score().isInfinite() ? 0 : 1));
    return out;
  }

  private List<Colocation> withThis(String... ids) {
    List<Colocation> out = new ArrayList<>();
    for (String id : ids) for (Colocation c : byPrimary.getOrDefault(id, List.of())) if (!holds(out, c)) out.add(c);
    out.sort(Comparator.comparingInt(c -> colocationIndex.get(c)));
    out.sort(Comparator.comparingInt((Colocation c) -> c.score().isInfinite() ? 0 : 1));
    return out;
  }

  private Object owner(String id) {
    return ctx.byId.get(id);
  }

  /** Applies one colocation to the dependent's table, given that its primary is assigned. */
  private Map<String, Score> applyColocation(Map<String, Score> table, Colocation c) {
    Object primary = owner(c.with().get());
    Role withRole = c.withRole().orElse(null);
    List<String> where = new ArrayList<>();
    boolean primaryPlaced;
    if (primary instanceof Unit pu) {
      primaryPlaced = pu.assigned != null;
      if (primaryPlaced) where.add(pu.assigned);
    } else {
      CloneSet pc = (CloneSet) primary;
      where.addAll(pc.nodesWith(withRole == Role.STARTED ? null : withRole));
      primaryPlaced = !where.isEmpty();
    }
    Map<String, Score> work = new LinkedHashMap<>(table);
    Score s = c.score();
    if (c.role().orElse(Role.STARTED) == Role.PROMOTED || c.role().orElse(Role.STARTED) == Role.UNPROMOTED) {
      return table;
    }
    for (String n : ctx.nodes) {
      if (!primaryPlaced) {
        if (s.value() < 0) break;
        work.put(n, Scores.get(work, n).plus(new Score(-s.value())));
        continue;
      }
      if (where.contains(n)) {
        if (!s.isPlusInfinity()) work.put(n, Scores.get(work, n).plus(s));
      } else if (s.isPlusInfinity()) {
        work.put(n, Score.MINUS_INFINITY);
      }
    }
    if (s.isInfinite() || Scores.anyAvailable(work, ctx.nodes)) return work;
    return table;
  }

  /**
   * The colocations of {@code self} (unit or clone, recorded as {@code id}): its primaries are
   * assigned first and their placement applied, then the preferences of its unassigned dependents.
   */
  private Map<String, Score> colocate(Object self, String id, String[] ids, Map<String, Score> table, boolean onlyPositive) {
    for (Colocation c : thisWith(ids)) {
      Object p = owner(c.with().get());
      if (p == self) continue;
      assign(p);
      Map<String, Score> b = before(table);
      table = applyColocation(table, c);
      if (trail != null) step(id, "colocation " + c.id() + " with " + c.with().get(), b, table);
    }
    Map<String, Score> b = before(table);
    addDependents(self, table, withThis(ids), onlyPositive);
    step(id, "preferences of resources colocated with it (influence)", b, table);
    return table;
  }

  private void addDependents(Object target, Map<String, Score> table, List<Colocation> deps, boolean onlyPositive) {
    Map<String, Score> current = mergeDependents(target, table, deps, 1.0, onlyPositive, new java.util.HashSet<>());
    if (current != table) {
      Map<String, Score> copy = new LinkedHashMap<>(current);
      table.clear();
      table.putAll(copy);
    }
  }

  /**
   * Folds in the attenuated preferences of unassigned dependents, and of their own dependents
   * (factor multiplied along the chain), rolling back any merge that leaves no node available.
   */
  private Map<String, Score> mergeDependents(Object target, Map<String, Score> table, List<Colocation> deps,
      double factor, boolean onlyPositive, java.util.Set<Object> visited) {
    Map<String, Score> current = table;
    visited.add(target);
    for (Colocation c : deps) {
      Object dep = owner(c.resource().get());
      if (dep == null || visited.contains(dep)) continue;
      if (!influence(c, dep)) continue;
      if (dep instanceof Unit du && du.done) continue;
      if (dep instanceof CloneSet dc && dc.done) continue;
      if (c.role().isPresent() && c.role().get() != Role.STARTED) continue;
      double f = factor * c.score().value() / (double) Score.INFINITY_VALUE;
      Map<String, Score> merged = Scores.merged(current, base.get(dep), f, ctx.nodes, onlyPositive);
      if (!Scores.anyAvailable(merged, ctx.nodes)) continue;
      current = merged;
      String[] ids = dep instanceof Unit du ? idsOf(du)
          : new String[] {((CloneSet) dep).clone.id(), ((CloneSet) dep).clone.child().id()};
      List<Colocation> further = withThis(ids);
      if (!further.isEmpty()) current = mergeDependents(dep, current, further, f, onlyPositive, visited);
    }
    return current;
  }

  private boolean influence(Colocation c, Object dep) {
    if (c.influence().isPresent()) return c.influence().get();
    if (dep instanceof Unit u) return u.members.get(0).meta.getOrDefault(Meta.CRITICAL);
    return true;
  }

  private void assignUnit(Unit u) {
    if (u.done || u.assigning) return;
    u.assigning = true;
    String[] ids = idsOf(u);
    Map<String, Score> table = work(u);
    table = colocate(u, u.config.id(), ids, table, false);
    if (!Scores.same(table, work(u))) base.put(u, table);
    boolean globallyUnmanaged = (ctx.fencingEnabled && !ctx.haveFencingDevice) || ctx.maintenanceMode;
    boolean managed = u.members.stream().allMatch(i -> i.managed) && !globallyUnmanaged;
    String current = u.currentNode();
    if (!managed) {
      u.assigned = current;
      if (current != null) {
        for (Inst i : u.members) i.bannedOnTarget = Scores.get(i.ownScores, current).isMinusInfinity();
      }
      boolean blocked = u.members.stream().anyMatch(i -> i.blocked);
      if (blocked) {
        // members before a blocked one cannot stop (their stops wait for it); later ones follow it
        // unless its node is banned for them
        int at = 0;
        while (!u.members.get(at).blocked) at++;
        for (int k = 0; k < u.members.size(); k++) {
          Inst i = u.members.get(k);
          if (k < at && i.managed) i.frozen = true;
        }
      } else if (globallyUnmanaged || u.members.stream().noneMatch(i -> i.managed)) {
        u.members.forEach(i -> i.managed = false);
      }
      // otherwise some members are unmanaged: they pin the group to their node, the rest stay managed
    } else if (ctx.stopAll) {
      u.assigned = null;
    } else if (!ctx.quorumPolicy.equals("ignore") && !needsNoQuorum(u)) {
      // Without quorum nothing new starts; "freeze" keeps what runs where it runs.
      boolean keep = ctx.quorumPolicy.equals("freeze") && current != null && ctx.canRun(current);
      u.assigned = keep ? current : null;
      if (!keep) u.members.forEach(i -> i.reason = "due to no quorum");
    } else {
      Map<String, Integer> demand = Capacity.demand(u.members);
      if (capacity.enforced()) {
        // As Pacemaker: reserve room for unassigned resources that must run with this one, if any node has it.
        Map<String, Integer> combined = new HashMap<>(demand);
        addColocatedDemand(u, combined, new java.util.HashSet<>());
        final Map<String, Integer> all = combined;
        if (ctx.nodes.stream().anyMatch(n -> ctx.canRun(n) && capacity.fits(n, all))) demand = combined;
      }
      u.assigned = best(table, current, u.clone == null || !u.clone.unique, demand);
    }
    if (u.assigned != null && managed) capacity.consume(u.assigned, Capacity.demand(u.members));
    if (u.assigned != null && u.members.size() > 1 && managed) {
      for (Inst i : u.members) i.bannedOnTarget = Scores.get(i.ownScores, u.assigned).isMinusInfinity();
    }
    if (u.assigned != null) assignedCount.merge(u.assigned, u.members.size(), Integer::sum);
    u.done = true;
    u.assigning = false;
  }

  private void addColocatedDemand(Unit u, Map<String, Integer> demand, java.util.Set<Unit> seen) {
    seen.add(u);
    for (Colocation c : withThis(idsOf(u))) {
      if (!c.score().isPlusInfinity()) continue;
      if (owner(c.resource().get()) instanceof Unit d && !d.done && !seen.contains(d)) {
        Capacity.demand(d.members).forEach((k, v) -> demand.merge(k, v, Integer::sum));
        addColocatedDemand(d, demand, seen);
      }
    }
  }

  /** Only resources with requires=nothing keep running without quorum (fence devices default to quorum, as Pacemaker). */
  static boolean needsNoQuorum(Unit u) {
    return u.members.stream().allMatch(i -> i.meta.get(Meta.REQUIRES).map("nothing"::equals).orElse(false));
  }

  private String[] idsOf(Unit u) {
    List<String> ids = new ArrayList<>();
    ids.add(u.config.id());
    for (Inst i : u.members) ids.add(i.prim.id());
    return ids.toArray(String[]::new);
  }

  private String best(Map<String, Score> table, String current, boolean preferCurrent, Map<String, Integer> demand) {
    List<String> cands = new ArrayList<>();
    for (String n : ctx.nodes) {
      if (Scores.get(table, n).value() >= 0 && ctx.canRun(n) && capacity.fits(n, demand)) cands.add(n);
    }
    if (cands.isEmpty()) return null;
    String chosen;
    if (capacity.comparesFreeRoom()) {
      // "balanced" compares free room key by key, which need not be transitive: keep the sort's answer
      cands.sort((a, b) -> candidateOrder(table, current, a, b));
      chosen = cands.get(0);
    } else {
      // otherwise the order is total (node names break ties), so a scan finds what a sort would; a
      // sort per unit was the slowest part of a cold assignment
      chosen = cands.get(0);
      for (String n : cands) if (candidateOrder(table, current, n, chosen) < 0) chosen = n;
    }
    if (preferCurrent && current != null && cands.contains(current) && Scores.get(table, chosen).value() > 0
        && Scores.get(table, current).value() == Scores.get(table, chosen).value()) {
      chosen = current;
    }
    return chosen;
  }

  /** Higher score first, then capacity (free room, then load when counted), the current node, the name. */
  private int candidateOrder(Map<String, Score> table, String current, String a, String b) {
    int c = Integer.compare(-Scores.get(table, a).value(), -Scores.get(table, b).value());
    if (c != 0) return c;
    c = capacity.compare(a, b);
    if (c != 0) return c;
    if (capacity.countsLoad()) {
      c = Integer.compare(assignedCount.getOrDefault(a, 0), assignedCount.getOrDefault(b, 0));
      if (c != 0) return c;
    }
    c = Integer.compare(a.equals(current) ? 0 : 1, b.equals(current) ? 0 : 1);
    return c != 0 ? c : a.compareTo(b);
  }

  private void assignClone(CloneSet cs) {
    if (cs.done || cs.assigning) return;
    cs.assigning = true;
    String[] ids = {cs.clone.id(), cs.clone.child().id()};
    Map<String, Score> table = colocate(cs, cs.clone.id(), ids, work(cs), true);
    base.put(cs, table);
    cs.scores.putAll(table);
    new CloneAssigner(ctx, cs, table, assignedCount, capacity).run();
    cs.done = true;
    cs.assigning = false;
    new Promoter(ctx, cs, rules, base::get).run();
  }
}
