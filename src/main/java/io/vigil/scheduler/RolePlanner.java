package io.vigil.scheduler;

import io.vigil.model.Constraint;
import io.vigil.model.Meta;
import io.vigil.model.Order;
import io.vigil.model.Role;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides each instance's next role from its unit's assignment, then applies the effects of
 * mandatory orders and group chains: a group member after a stopped one stops too; the "then"
 * side of a mandatory order cannot start while "first" will not run; and a running "then" is
 * restarted when "first" is restarted or moved.
 */
final class RolePlanner {
  private final Context ctx;
  /** Instances that must be stopped and started again on the same node. */
  final Set<Inst> restart = new LinkedHashSet<>();

  RolePlanner(Context ctx) {
    this.ctx = ctx;
  }

  void run() {
    for (Unit u : ctx.units) {
      boolean stopRest = u.assigned == null;
      for (Inst i : u.members) {
        if (!stopRest && (i.meta.getOrDefault(Meta.TARGET_ROLE) == Role.STOPPED || i.bannedOnTarget)) stopRest = true;
        i.target = stopRest ? null : u.assigned;
        i.targetRole = stopRest ? Role.STOPPED : Role.STARTED;
      }
    }
    for (CloneSet cs : ctx.clones) {
      for (Unit u : cs.instances) {
        for (Inst i : u.members) i.target = u.assigned;
        if (u.assigned == null) u.members.forEach(i -> i.targetRole = Role.STOPPED);
      }
    }
    // A start waits for probes everywhere; a pending node cannot run its probe, so a resource
    // never seen there cannot start anywhere yet. The same holds for a node that is lost but not
    // known down (unverified): it may still run what its history does not show.
    List<String> pending = ctx.nodes.stream()
        .filter(n -> ctx.nodeState.get(n) == io.vigil.status.NodeState.PENDING || ctx.unverified.contains(n)).toList();
    if (!pending.isEmpty()) {
      for (Inst i : ctx.insts.values()) {
        if (i.target == null || i.target.equals(i.currentNode()) || !i.managed) continue;
        for (String n : pending) {
          java.util.Set<String> seen = ctx.probedOn.getOrDefault(n, java.util.Set.of());
          if (!seen.contains(i.prim.id()) && !seen.contains(i.id)) {
            if (i.currentNode() == null) i.blockedStart = i.target;
            i.target = null;
            i.targetRole = Role.STOPPED;
            i.blocked = true;
            break;
          }
        }
      }
    }
    for (Inst i : ctx.orphans) {
      i.target = i.managed ? null : i.currentNode();
      i.targetRole = i.managed ? Role.STOPPED : i.currentRole();
    }
    for (Inst i : ctx.insts.values()) {
      if (!i.managed || i.frozen) {
        i.target = i.currentNode();
        i.targetRole = i.currentRole();
      }
    }
    boolean changed = true;
    for (int round = 0; changed && round < 50; round++) {
      changed = false;
      for (Order o : ctx.orders) {
        if (o.kind() != Order.Kind.MANDATORY) continue;
        if (o.firstAction().orElse(Order.Action.START) != Order.Action.START
            || o.thenAction().orElse(Order.Action.START) != Order.Action.START) continue;
        List<Inst> first = insts(o.first().get());
        List<Inst> then = insts(o.then().get());
        if (first.isEmpty() || then.isEmpty()) continue;
        if (!ctx.anyOf.containsKey(o)
            && ctx.byId.get(o.first().get()) instanceof CloneSet fc && ctx.byId.get(o.then().get()) instanceof CloneSet tc
            && tc.clone.meta().getOrDefault(io.vigil.model.Meta.INTERLEAVE)
            && fc.clone.meta().getOrDefault(io.vigil.model.Meta.CLONE_MIN) == 0) {
          // interleaved clones are ordered instance by instance: "then" needs "first" on its own node
          for (Inst t : then) {
            if (t.target == null || !t.managed || t.frozen) continue;
            boolean here = fc.instances.stream().anyMatch(u -> t.target.equals(u.assigned)
                && u.members.stream().allMatch(m -> m.target != null));
            if (!here) {
              if (t.currentNode() == null) t.blockedStart = t.target;
              t.target = null;
              t.targetRole = Role.STOPPED;
              t.reason = "due to unrunnable " + o.first().get() + " start";
              changed = true;
            }
          }
          continue;
        }
        if (o.isSymmetrical() && keepFirstForStuckThen(first, then)) changed = true;
        List<String> alternatives = ctx.anyOf.get(o);
        boolean firstRuns = alternatives == null ? runs(o.first().get(), first)
            : alternatives.stream().anyMatch(a -> runs(a, insts(a)));
        if (!firstRuns) {
          // "then" may keep running unless it needs a start, or "first" is stopping and the order is symmetrical
          boolean firstStops = o.isSymmetrical();
          for (Inst t : then) {
            boolean needsStart = t.target != null && !(t.target.equals(t.currentNode()) && t.active().size() == 1
                && !(t.seen.containsKey(t.target) && t.seen.get(t.target).failed));
            if (t.target != null && t.managed && !t.frozen && (needsStart || firstStops)) {
              if (t.currentNode() == null) t.blockedStart = t.target;
              t.target = null;
              t.targetRole = Role.STOPPED;
              t.reason = "due to unrunnable " + o.first().get() + " start";
              changed = true;
            }
          }
        }
      }
      for (Unit u : ctx.units) changed |= chainGroup(u);
      for (CloneSet cs : ctx.clones) for (Unit u : cs.instances) changed |= chainGroup(u);
      changed |= followBlockedPrimaries();
    }
    for (Inst i : ctx.insts.values()) {
      if (i.target != null && i.managed && !i.frozen && i.seen.containsKey(i.target) && i.seen.get(i.target).failed) restart.add(i);
    }
    changed = true;
    for (int round = 0; changed && round < 50; round++) {
      changed = false;
      for (Unit u : ctx.units) changed |= restartRestOfGroup(u);
      for (Order o : ctx.orders) {
        if (o.kind() == Order.Kind.SERIALIZE) continue;
        if (o.kind() == Order.Kind.OPTIONAL) continue;
        List<Inst> first = insts(o.first().get());
        boolean disrupted = first.stream().anyMatch(this::disrupted);
        if (!disrupted) continue;
        for (Inst t : insts(o.then().get())) {
          if (t.unit.clone != null || !t.managed) continue;
          if (t.target != null && t.target.equals(t.currentNode()) && t.active().size() == 1 && restart.add(t)) {
            t.reason = "due to required " + o.first().get() + " start";
            changed = true;
          }
        }
      }
    }
  }

  /**
   * A mandatory colocation with a primary that ended up not running (its start blocked by an
   * order) leaves the dependent nowhere to go: it stops too.
   */
  private boolean followBlockedPrimaries() {
    boolean changed = false;
    for (io.vigil.model.Colocation c : ctx.colocations) {
      if (!c.score().isPlusInfinity()) continue;
      if (!(ctx.byId.get(c.with().get()) instanceof Unit p) || p.assigned == null) continue;
      if (p.members.get(0).target != null) continue;
      if (c.role().isPresent() && c.role().get() == Role.PROMOTED) {
        // only the promoted role needed the primary: the dependent is not promoted
        for (Inst d : insts(c.resource().get())) {
          if (d.targetRole != Role.PROMOTED || !d.managed || d.frozen) continue;
          d.targetRole = Role.UNPROMOTED;
          d.reason = "due to colocation with " + c.with().get();
          changed = true;
        }
        continue;
      }
      if (c.role().isPresent() && c.role().get() != Role.STARTED) continue;
      for (Inst d : insts(c.resource().get())) {
        if (d.target == null || !d.managed || d.frozen || d.unit == p) continue;
        if (d.currentNode() == null) d.blockedStart = d.target;
        d.target = null;
        d.targetRole = Role.STOPPED;
        d.reason = "due to colocation with " + c.with().get();
        changed = true;
      }
    }
    return changed;
  }

  /**
   * A symmetrical mandatory order stops "then" before "first"; when an active "then" cannot be
   * stopped (blocked or unmanaged), "first" cannot stop either and stays where it is (Pacemaker
   * marks its stop unrunnable).
   */
  private boolean keepFirstForStuckThen(List<Inst> first, List<Inst> then) {
    boolean stuck = then.stream().anyMatch(t -> (!t.managed || t.frozen) && t.currentNode() != null);
    if (!stuck) return false;
    boolean changed = false;
    for (Inst f : first) {
      String cur = f.currentNode();
      if (!f.managed || f.frozen || cur == null || f.active().size() != 1) continue;
      if (cur.equals(f.target) && f.targetRole == f.currentRole()) continue;
      if (f.target == null || !cur.equals(f.target)) {
        f.target = cur;
        f.targetRole = f.currentRole();
        f.reason = "blocked";
        changed = true;
      }
    }
    return changed;
  }

  /** Whether enough of "first" will run for "then" to start: one, or clone-min instances of a clone. */
  private boolean runs(String id, List<Inst> first) {
    Object o = ctx.byId.get(id);
    if (o instanceof CloneSet cs) {
      int min = Math.max(1, cs.clone.meta().getOrDefault(io.vigil.model.Meta.CLONE_MIN));
      long running = cs.instances.stream().filter(u -> u.members.stream().allMatch(i -> i.target != null)).count();
      return running >= min;
    }
    return first.stream().anyMatch(i -> i.target != null);
  }

  boolean disrupted(Inst i) {
    if (restart.contains(i)) return true;
    String cur = i.currentNode();
    if (cur == null) return i.target != null && i.unit.clone == null && i.managed;
    return i.target != null && !cur.equals(i.target);
  }

  private boolean chainGroup(Unit u) {
    boolean changed = false;
    boolean stop = false;
    for (Inst i : u.members) {
      if (stop && i.target != null && i.managed && !i.frozen) {
        i.target = null;
        i.targetRole = Role.STOPPED;
        changed = true;
      }
      if (i.target == null && u.assigned != null) stop = true;
    }
    return changed;
  }

  private boolean restartRestOfGroup(Unit u) {
    boolean changed = false;
    boolean disrupted = false;
    for (Inst i : u.members) {
      if (disrupted && i.target != null && i.target.equals(i.currentNode()) && i.managed && restart.add(i)) {
        i.reason = "due to required " + u.members.get(u.members.indexOf(i) - 1).id + " start";
        changed = true;
      }
      if (restart.contains(i) || (i.target != null && !i.target.equals(i.currentNode()))) disrupted = true;
    }
    return changed;
  }

  List<Inst> insts(String id) {
    Object o = ctx.byId.get(id);
    if (o instanceof Unit u) {
      if (u.config.id().equals(id)) return u.members;
      return u.members.stream().filter(i -> i.prim.id().equals(id)).toList();
    }
    if (o instanceof CloneSet cs) return cs.instances.stream().flatMap(u -> u.members.stream()).toList();
    return List.of();
  }
}
