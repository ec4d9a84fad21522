package io.vigil.scheduler;

import io.vigil.model.ClusterProperties;
import io.vigil.model.OnFail;
import io.vigil.model.Operation;
import io.vigil.model.Role;
import io.vigil.status.NodeState;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import io.vigil.model.Meta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns each node's operation history into the role every instance has there, with Pacemaker's
 * rules: results in call order; a successful start/promote/demote/stop sets the role; a probe
 * with rc 7 means stopped and rc 8 promoted; a failure keeps the resource active and remembers
 * the strictest on-fail; a later success clears restart-like failures.
 */
final class HistoryInterpreter {
  private final Context ctx;
  final Map<String, Set<String>> bannedNodes = new HashMap<>();
  final Set<String> bannedEverywhere = new LinkedHashSet<>();

  HistoryInterpreter(Context ctx) {
    this.ctx = ctx;
  }

  void run() {
    for (NodeStatus ns : ctx.status.nodes()) {
      if (!ctx.nodeState.containsKey(ns.name())) continue;
      // Without fencing the history of a node that left cleanly cannot be acted upon: ignore it.
      io.vigil.status.NodeState st0 = ctx.nodeState.get(ns.name());
      if (!ctx.fencingEnabled && (st0 == io.vigil.status.NodeState.OFFLINE || st0 == io.vigil.status.NodeState.UNCLEAN)) {
        continue;
      }
      for (ResourceHistory h : ns.resources()) {
        Inst.Seen seen = new Inst.Seen();
        String rid = h.resourceId();
        Inst inst = resolve(rid, ns.name(), null);
        String base = rid.contains(":") ? rid.substring(0, rid.lastIndexOf(':')) : rid;
        interpret(h, ns.name(), inst, seen);
        ctx.probedOn.computeIfAbsent(ns.name(), k -> new java.util.HashSet<>()).add(base);
        if (seen.role == Role.STOPPED && !seen.failed) continue;
        inst = resolve(rid, ns.name(), seen);
        if (inst == null) inst = orphan(rid, h.agent());
        if (inst == null) {
          ctx.unsupported.add("unsupported: orphan resource '" + rid + "' active on " + ns.name()
              + " with unknown agent '" + h.agent() + "'");
          continue;
        }
        if (ctx.maintenance.contains(ns.name())) {
          inst.managed = false;
          inst.maintenance = true;
        }
        // an active instance of a promotable clone that is not promoted is unpromoted
        if (seen.role == Role.STARTED && inst.unit.clone != null && inst.unit.clone.promotable) {
          seen.role = Role.UNPROMOTED;
        }
        Inst.Seen prev = inst.seen.get(ns.name());
        if (prev == null || prev.role.ordinal() < seen.role.ordinal()) inst.seen.put(ns.name(), seen);
        NodeState st = ctx.nodeState.get(ns.name());
        if ((st == NodeState.UNCLEAN || st == NodeState.OFFLINE) && ctx.fencingEnabled && inst.managed
            && !ctx.maintenance.contains(ns.name())) {
          if (st == NodeState.OFFLINE) ctx.nodeState.put(ns.name(), NodeState.UNCLEAN);
          ctx.fenceReason.putIfAbsent(ns.name(), inst.id + " is thought to be active there");
        }
        if (seen.onFail == OnFail.FENCE && seen.role != Role.STOPPED && ctx.fencingEnabled) {
          ctx.nodeState.put(ns.name(), NodeState.UNCLEAN);
          ctx.fenceReason.put(ns.name(), inst.id + " failed there");
        }
        if (seen.onFail == OnFail.STANDBY && seen.role != Role.STOPPED) ctx.standby.add(ns.name());
        if (seen.onFail == OnFail.STOP && seen.role != Role.STOPPED) bannedEverywhere.add(banKey(inst));
        if (seen.onFail == OnFail.BLOCK && seen.role != Role.STOPPED) {
          inst.managed = false;
          inst.blocked = true;
        }
      }
    }
  }

  /** A resource active somewhere but no longer configured: it is stopped (Pacemaker's ORPHANED). */
  private Inst orphan(String rid, String agent) {
    for (Inst o : ctx.orphans) if (o.id.equals(rid)) return o;
    io.vigil.model.AgentRef ref;
    try {
      ref = io.vigil.model.AgentRef.parse(agent);
      io.vigil.model.Ids.require(rid, "resource");
    } catch (IllegalArgumentException e) {
      return null;
    }
    io.vigil.model.Primitive p = io.vigil.model.Primitive.of(rid, ref, java.util.Map.of());
    Unit u = new Unit(rid, p, null, -1);
    Inst i = new Inst(rid, p, io.vigil.model.Meta.EMPTY, u);
    u.members.add(i);
    if (!ctx.config.properties().getOrDefault(io.vigil.model.ClusterProperties.STOP_ORPHAN_RESOURCES)) {
      i.managed = false;
    }
    ctx.orphans.add(i);
    return i;
  }

  /**
   * Finds the instance a history entry belongs to; for anonymous clones only once active, as
   * Pacemaker's find_anonymous_clone: the instance already on this node whose member for the
   * entry is not yet active there; else, unless such a member already is (a second history of the
   * same member on one node), an instance active nowhere; else a new orphan instance.
   */
  private Inst resolve(String rid, String node, Inst.Seen seen) {
    Inst direct = ctx.insts.get(rid);
    if (direct != null && direct.unit.clone == null) return direct;
    String base = rid.contains(":") ? rid.substring(0, rid.lastIndexOf(':')) : rid;
    Object owner = ctx.byId.get(base);
    if (!(owner instanceof CloneSet cs)) return direct;
    if (seen == null) return cs.instances.isEmpty() ? null : memberOf(cs.instances.get(0), base);
    if (cs.unique) {
      if (direct != null) return direct;
      // a unique instance beyond clone-max keeps its recorded number as an orphan
      for (Unit u : orphanUnits.getOrDefault(cs, List.of())) {
        for (Inst m : u.members) if (m.id.equals(rid)) return m;
      }
      String no = rid.contains(":") ? rid.substring(rid.lastIndexOf(':') + 1) : "";
      if (no.matches("\\d{1,6}")) return memberOf(orphanInstance(cs, Integer.parseInt(no)), base);
    }
    List<Unit> candidates = new ArrayList<>(cs.instances);
    candidates.addAll(orphanUnits.getOrDefault(cs, List.of()));
    boolean skipInactive = false;
    Unit inactive = null;
    for (Unit u : candidates) {
      boolean here = u.members.stream().anyMatch(m -> m.seen.containsKey(node));
      if (here) {
        Inst m = memberOf(u, base);
        if (!m.seen.containsKey(node)) return m;
        skipInactive = true;
      } else if (inactive == null && u.members.stream().allMatch(m -> m.seen.isEmpty())) {
        inactive = u;
      }
    }
    if (!skipInactive && inactive != null) return memberOf(inactive, base);
    List<Unit> known = orphanUnits.getOrDefault(cs, List.of());
    return memberOf(orphanInstance(cs, cs.instances.size() + known.size()), base);
  }

  /** Anonymous clone instances beyond those configured (more histories than instances). */
  private final Map<CloneSet, List<Unit>> orphanUnits = new HashMap<>();

  /** A new instance of a clone that is only in the history: it is stopped (Pacemaker's ORPHANED instance). */
  private Unit orphanInstance(CloneSet cs, int no) {
    List<Unit> known = orphanUnits.computeIfAbsent(cs, k -> new ArrayList<>());
    io.vigil.model.Resource child = cs.clone.child();
    Unit u = new Unit(child.id() + ":" + no, child, cs, no);
    Unit model = cs.instances.isEmpty() ? null : cs.instances.get(0);
    for (io.vigil.model.Primitive p : child.primitives()) {
      Meta meta = model == null ? Meta.EMPTY
          : model.members.stream().filter(m -> m.prim.id().equals(p.id())).findFirst().map(m -> m.meta).orElse(Meta.EMPTY);
      Inst i = new Inst(p.id() + ":" + no, p, meta, u);
      if (!ctx.config.properties().getOrDefault(io.vigil.model.ClusterProperties.STOP_ORPHAN_RESOURCES)) i.managed = false;
      u.members.add(i);
      ctx.orphans.add(i);
    }
    known.add(u);
    return u;
  }

  /**
   * Pacemaker's check_operation_expiry: a failed result older than the resource's failure-timeout
   * is ignored unless the node still has an unexpired fail count for it; "not installed" never
   * expires, nor does a failed recurring monitor with on-fail=block. A failure that will expire
   * sets the recheck time.
   */
  private boolean expired(OpRecord op, Inst inst, String node, String rid) {
    if (inst == null || op.opStatus() == OpRecord.EXEC_NOT_INSTALLED || op.lastRcChange().isEmpty()) return false;
    // a blocked recurring monitor keeps blocking: its history shows when the result changed, not that it recovered
    if (op.isRecurring() && onFailFor(inst, op.operation(), op.intervalMs()) == OnFail.BLOCK) return false;
    java.time.Duration timeout = inst.meta.getOrDefault(Meta.FAILURE_TIMEOUT);
    if (timeout.isZero()) return false;
    java.time.Instant expiry = op.lastRcChange().get().plus(timeout);
    if (ctx.now.isBefore(expiry)) {
      ctx.recheckBy(expiry);
      return false;
    }
    NodeStatus ns = ctx.statusByName.get(node);
    if (ns == null) return true;
    String base = rid.contains(":") ? rid.substring(0, rid.lastIndexOf(':')) : rid;
    for (String id : rid.equals(base) ? List.of(rid) : List.of(rid, base)) {
      for (io.vigil.status.FailCounts.Failure f : io.vigil.status.FailCounts.of(ns, id)) {
        if (f.lastFailure().isEmpty() || ctx.now.isBefore(f.lastFailure().get().plus(timeout))) return false;
      }
    }
    return true;
  }

  private static Inst memberOf(Unit u, String primitiveId) {
    for (Inst i : u.members) if (i.prim.id().equals(primitiveId)) return i;
    return u.members.get(0);
  }

  private void interpret(ResourceHistory h, String node, Inst inst, Inst.Seen seen) {
    OnFail onFail = OnFail.IGNORE;
    for (OpRecord op : h.ops()) {
      String task = op.operation();
      if (!Set.of("monitor", "start", "stop", "promote", "demote", "migrate_to", "migrate_from").contains(task)) continue;
      seen.probed = true;
      int expected = op.expectedRc() >= 0 ? op.expectedRc() : (op.isProbe() ? 7 : 0);
      if (op.opStatus() == OpRecord.EXEC_PENDING) {
        seen.pending = true;
        switch (task) {
          case "start", "migrate_from", "migrate_to", "stop" -> seen.role = max(seen.role, Role.STARTED);
          case "promote", "demote" -> seen.role = Role.PROMOTED;
          default -> { }
        }
        continue;
      }
      if (op.opStatus() == OpRecord.EXEC_CANCELLED) continue;
      int rc = op.rc();
      boolean done = op.opStatus() == OpRecord.EXEC_DONE || op.opStatus() == OpRecord.EXEC_ERROR;
      if (done && (rc == 190 || rc == 191)) rc = rc == 190 ? 0 : 8; // degraded results count as success
      boolean success;
      if (!done) {
        success = false;
      } else if (rc == 7 && (op.isProbe() || expected == 7 || (inst != null && !inst.managed))) {
        seen.role = Role.STOPPED;
        onFail = OnFail.IGNORE;
        seen.failed = false;
        continue;
      } else if (rc == 0 && op.isProbe()) {
        success = true;
      } else if (rc == 8 && (op.isProbe() || expected == 8)) {
        seen.role = Role.PROMOTED;
        success = true;
      } else {
        success = rc == expected;
      }
      if (success) {
        boolean clear = true;
        if (!task.equals("monitor")) seen.recurring.clear(); // a role change cancels the monitors of the old role
        switch (task) {
          case "start", "migrate_from" -> seen.role = Role.STARTED;
          case "stop" -> seen.role = Role.STOPPED;
          case "promote" -> seen.role = Role.PROMOTED;
          case "demote" -> {
            seen.role = Role.UNPROMOTED;
            clear = onFail == OnFail.DEMOTE;
          }
          case "monitor" -> {
            if (seen.role == Role.STOPPED) seen.role = rc == 8 ? Role.PROMOTED : Role.STARTED;
            if (op.intervalMs() > 0) seen.recurring.add(op.intervalMs());
            clear = false;
          }
          default -> {
            if (seen.role == Role.STOPPED) seen.role = Role.STARTED;
            clear = false;
          }
        }
        if (clear && (onFail == OnFail.IGNORE || onFail == OnFail.BLOCK || onFail == OnFail.DEMOTE
            || onFail == OnFail.RESTART)) {
          onFail = OnFail.IGNORE;
        }
        continue;
      }
      // a failure
      if (expired(op, inst, node, h.resourceId())) continue;
      OnFail configured = onFailFor(inst, task, op.intervalMs());
      boolean ignored = configured == OnFail.IGNORE && op.opStatus() != OpRecord.EXEC_NOT_INSTALLED;
      if (ignored) {
        // Pacemaker pretends an ignored failure succeeded: no bans, no failed state
      } else if (rc == 5 || rc == 2 || rc == 4 || op.opStatus() == OpRecord.EXEC_ERROR_HARD
          || op.opStatus() == OpRecord.EXEC_NOT_INSTALLED) {
        if (inst != null) bannedNodes.computeIfAbsent(banKey(inst), k -> new LinkedHashSet<>()).add(node);
        if (rc == 5 && op.isProbe()) {
          seen.role = Role.STOPPED;
          continue;
        }
      } else if (rc == 6 || op.opStatus() == OpRecord.EXEC_ERROR_FATAL) {
        if (inst != null) bannedEverywhere.add(banKey(inst));
      }
      if (configured == OnFail.IGNORE) {
        if (task.equals("start") || task.equals("monitor")) seen.role = max(seen.role, Role.STARTED);
        if (inst != null) inst.failureIgnored = true;
        continue;
      }
      if (rank(configured) > rank(onFail)) onFail = configured;
      switch (task) {
        case "stop" -> {
          if (inst != null) bannedNodes.computeIfAbsent(banKey(inst), k -> new LinkedHashSet<>()).add(node);
          seen.role = max(seen.role, Role.STARTED);
        }
        case "promote" -> seen.role = Role.PROMOTED;
        case "demote" -> seen.role = rc == 7 ? Role.STOPPED : Role.UNPROMOTED;
        case "monitor" -> {
          if (rc == 9) seen.role = Role.PROMOTED;
          else if (op.isProbe() && rc == 5) seen.role = Role.STOPPED;
          else seen.role = max(seen.role, Role.STARTED);
        }
        default -> seen.role = max(seen.role, Role.STARTED);
      }
    }
    // On a node that will be fenced, failures do not matter: fencing stops everything there.
    if (ctx.nodeState.get(node) == io.vigil.status.NodeState.UNCLEAN) onFail = OnFail.IGNORE;
    seen.onFail = onFail;
    seen.failed = onFail != OnFail.IGNORE && seen.role != Role.STOPPED;
  }

  static String banKey(Inst inst) {
    return inst.unit.clone != null && !inst.unit.clone.unique ? inst.unit.clone.clone.id() : inst.unit.id;
  }

  private OnFail onFailFor(Inst inst, String task, long intervalMs) {
    if (inst != null) {
      for (Operation o : inst.prim.operations()) {
        if (o.name().equals(task) && o.interval().toMillis() == intervalMs && o.onFail().isPresent()) {
          OnFail f = o.onFail().get();
          return f == OnFail.FENCE && !ctx.fencingEnabled ? OnFail.STOP : f;
        }
      }
    }
    if (task.equals("stop")) {
      return ctx.fencingEnabled ? OnFail.FENCE : OnFail.BLOCK;
    }
    return ctx.config.operationDefaults().get(io.vigil.model.OpDefaults.ON_FAIL).orElse(OnFail.RESTART);
  }

  /** Pacemaker's severity order of on-fail values. */
  private static int rank(OnFail f) {
    return switch (f) {
      case IGNORE -> 0;
      case DEMOTE -> 1;
      case RESTART -> 2;
      case RESTART_CONTAINER -> 3;
      case BLOCK -> 5;
      case STOP -> 6;
      case STANDBY -> 8;
      case FENCE -> 9;
    };
  }

  private static Role max(Role a, Role b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  /** Whether start failures are fatal (a failed start bans the node at once). */
  boolean startFailureIsFatal() {
    return ctx.config.properties().getOrDefault(ClusterProperties.START_FAILURE_IS_FATAL);
  }
}
