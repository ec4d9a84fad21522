package io.vigil.scheduler;

import io.vigil.model.Clone;
import io.vigil.model.Score;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A clone and its instances while a transition is computed (package-private). */
final class CloneSet {
  final Clone clone;
  final List<Unit> instances = new ArrayList<>();
  final Map<String, Score> scores = new LinkedHashMap<>();
  int max;
  int nodeMax;
  boolean unique;
  boolean promotable;
  int promotedMax;
  int promotedNodeMax;
  int priority;
  boolean done;
  boolean assigning;

  CloneSet(Clone clone) {
    this.clone = clone;
  }

  /** Nodes that will run at least one instance (in a given role, or any when null). */
  List<String> nodesWith(io.vigil.model.Role role) {
    List<String> out = new ArrayList<>();
    for (Unit u : instances) {
      // a blocked (failed, unrecoverable) instance is not a place to colocate with
      if (u.assigned == null || u.members.stream().anyMatch(m -> m.blocked)) continue;
      if (role == io.vigil.model.Role.PROMOTED
          && u.members.stream().noneMatch(m -> m.targetRole == io.vigil.model.Role.PROMOTED)) continue;
      if (role == io.vigil.model.Role.UNPROMOTED
          && u.members.stream().anyMatch(m -> m.targetRole == io.vigil.model.Role.PROMOTED)) continue;
      if (!out.contains(u.assigned)) out.add(u.assigned);
    }
    return out;
  }
}
