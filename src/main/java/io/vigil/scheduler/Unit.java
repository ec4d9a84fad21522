package io.vigil.scheduler;

import io.vigil.model.Resource;
import io.vigil.model.Score;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is placed as one: a primitive, a group (its members together), or one clone instance of
 * either. Package-private working state.
 */
final class Unit {
  final String id;
  final Resource config;
  final CloneSet clone;
  final int instanceNo;
  final List<Inst> members = new ArrayList<>();
  final Map<String, Score> scores = new LinkedHashMap<>();
  int priority;
  String assigned;
  boolean done;
  boolean assigning;
  boolean stopRequested;

  Unit(String id, Resource config, CloneSet clone, int instanceNo) {
    this.id = id;
    this.config = config;
    this.clone = clone;
    this.instanceNo = instanceNo;
  }

  /** The node where most members run now (the first member's, as Pacemaker's group). */
  String currentNode() {
    for (Inst i : members) {
      String n = i.currentNode();
      if (n != null) return n;
    }
    return null;
  }

  /** Id used by constraints: the group/primitive id, or the clone's id for instances. */
  String constraintId() {
    return clone != null ? clone.clone.id() : config.id();
  }
}
