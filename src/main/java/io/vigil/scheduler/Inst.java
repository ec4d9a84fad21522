package io.vigil.scheduler;

import io.vigil.model.Meta;
import io.vigil.model.OnFail;
import io.vigil.model.Primitive;
import io.vigil.model.Role;
import java.util.LinkedHashMap;
import java.util.Map;

/** Working state of one primitive instance while a transition is computed (package-private). */
final class Inst {
  /** What the history says about this instance on one node. */
  static final class Seen {
    Role role = Role.STOPPED;
    OnFail onFail = OnFail.IGNORE;
    boolean failed;
    boolean pending;
    boolean probed;
    /** Intervals of the recurring monitors active here: succeeded since the last start, stop, promote or demote. */
    final java.util.Set<Long> recurring = new java.util.TreeSet<>();
  }

  final String id;
  final Primitive prim;
  final Meta meta;
  final Unit unit;
  final Map<String, Seen> seen = new LinkedHashMap<>();
  String target;
  Role targetRole = Role.STOPPED;
  boolean managed = true;
  boolean blocked;
  /** Kept exactly as it is (e.g. a group with a blocked member); shown as managed. */
  boolean frozen;
  boolean failureIgnored;
  boolean maintenance;
  /** Its own scores forbid its unit's node (failures, bans): it and later group members stop. */
  boolean bannedOnTarget;
  /** Where it would have started had an order or probe not blocked it. */
  String blockedStart;
  java.util.Map<String, io.vigil.model.Score> ownScores = java.util.Map.of();
  String reason = "";
  int promotionScore = Integer.MIN_VALUE;

  Inst(String id, Primitive prim, Meta meta, Unit unit) {
    this.id = id;
    this.prim = prim;
    this.meta = meta;
    this.unit = unit;
  }

  /** Nodes where the instance is active (role above Stopped), in status order. */
  Map<String, Role> active() {
    Map<String, Role> m = new LinkedHashMap<>();
    seen.forEach((n, s) -> {
      if (s.role != Role.STOPPED) m.put(n, s.role);
    });
    return m;
  }

  boolean failedSomewhere() {
    return seen.values().stream().anyMatch(s -> s.failed && s.role != Role.STOPPED);
  }

  /** The first node of {@link #active()}, or null; without building the map (called per instance and node). */
  String currentNode() {
    for (Map.Entry<String, Seen> e : seen.entrySet()) if (e.getValue().role != Role.STOPPED) return e.getKey();
    return null;
  }

  /** The role on {@link #currentNode()}, or Stopped. */
  Role currentRole() {
    for (Seen s : seen.values()) if (s.role != Role.STOPPED) return s.role;
    return Role.STOPPED;
  }
}
