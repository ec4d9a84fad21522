package io.vigil.scheduler;

import io.vigil.model.Meta;
import io.vigil.model.Score;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Distributes a clone's instances over nodes: instances already running keep their node while
 * it is allowed and below its fair share; the rest go, one by one, to the best-scoring node that
 * has room (clone-node-max), fewer assigned resources breaking ties, then the lowest name.
 */
final class CloneAssigner {
  private final Context ctx;
  private final CloneSet cs;
  private final Map<String, Score> table;
  private final Map<String, Integer> assignedCount;
  private final Capacity capacity;
  private final Map<String, Integer> perNode = new HashMap<>();
  private int total;

  CloneAssigner(Context ctx, CloneSet cs, Map<String, Score> table, Map<String, Integer> assignedCount,
      Capacity capacity) {
    this.capacity = capacity;
    this.ctx = ctx;
    this.cs = cs;
    this.table = table;
    this.assignedCount = assignedCount;
  }

  void run() {
    boolean managed = !(ctx.fencingEnabled && !ctx.haveFencingDevice) && !ctx.maintenanceMode
        && !cs.instances.stream().flatMap(u -> u.members.stream()).allMatch(i -> !i.managed);
    if (!managed) {
      for (Unit u : cs.instances) {
        u.assigned = u.currentNode();
        u.members.forEach(i -> i.managed = false);
        u.done = true;
      }
      return;
    }
    // Unmanaged or blocked instances stay where they are and count against the limits.
    for (Unit u : cs.instances) {
      if (u.members.stream().allMatch(i -> i.managed)) continue;
      String cur = u.currentNode();
      if (cur != null) {
        take(u, cur);
      } else {
        u.done = true;
      }
      u.members.forEach(i -> {
        if (i.managed) i.frozen = true;
      });
    }
    if (ctx.stopAll) {
      cs.instances.forEach(u -> u.done = true);
      return;
    }
    boolean needsNoQuorum = cs.instances.stream().allMatch(Allocator::needsNoQuorum);
    if (!ctx.quorumPolicy.equals("ignore") && !needsNoQuorum) {
      boolean freeze = ctx.quorumPolicy.equals("freeze") || (ctx.quorumPolicy.equals("demote") && cs.promotable);
      for (Unit u : cs.instances) {
        String cur = u.currentNode();
        u.assigned = freeze && cur != null && ctx.canRun(cur) ? cur : null;
        u.done = true;
        if (u.assigned == null) u.members.forEach(i -> i.reason = "due to no quorum");
      }
      return;
    }
    List<String> available = new ArrayList<>();
    for (String n : ctx.nodes) if (allowed(n)) available.add(n);
    int optimal = available.isEmpty() ? 1 : Math.max(1, cs.max / available.size());
    // Phase 1: running instances stay where they are, up to the fair share per node.
    for (Unit u : cs.instances) {
      if (u.done) continue;
      String cur = u.currentNode();
      if (cur == null || total >= cs.max) continue;
      boolean failed = u.members.stream().anyMatch(Inst::failedSomewhere);
      if (failed && !allowed(cur)) continue;
      if (allowed(cur) && perNode.getOrDefault(cur, 0) < Math.min(cs.nodeMax, optimal)) take(u, cur);
    }
    // Phase 2: the rest, active instances first, then by number.
    List<Unit> rest = new ArrayList<>(cs.instances.stream().filter(u -> !u.done).toList());
    rest.sort(Comparator.comparingInt((Unit u) -> u.currentNode() == null ? 1 : 0).thenComparingInt(u -> u.instanceNo));
    for (Unit u : rest) {
      if (total >= cs.max) {
        u.done = true;
        continue;
      }
      String cur = u.currentNode();
      List<String> cands = new ArrayList<>();
      for (String n : available) {
        if (perNode.getOrDefault(n, 0) < cs.nodeMax && capacity.fits(n, Capacity.demand(u.members))) cands.add(n);
      }
      if (cands.isEmpty()) {
        u.done = true;
        continue;
      }
      Score stick = u.members.get(0).meta.get(Meta.STICKINESS).orElse(Score.ZERO);
      cands.sort(Comparator.comparingInt((String n) -> -score(n, cur, stick))
          .thenComparing((a, b) -> capacity.compare(a, b))
          .thenComparingInt(n -> capacity.countsLoad() ? assignedCount.getOrDefault(n, 0) : 0)
          .thenComparingInt(n -> n.equals(cur) ? 0 : 1)
          .thenComparing(Comparator.naturalOrder()));
      take(u, cands.get(0));
    }
  }

  private int score(String n, String cur, Score stick) {
    Score s = Scores.get(table, n);
    return n.equals(cur) ? s.plus(stick).value() : s.value();
  }

  private boolean allowed(String n) {
    return ctx.canRun(n) && Scores.get(table, n).value() >= 0;
  }

  private void take(Unit u, String n) {
    u.assigned = n;
    u.done = true;
    perNode.merge(n, 1, Integer::sum);
    assignedCount.merge(n, u.members.size(), Integer::sum);
    capacity.consume(n, Capacity.demand(u.members));
    total++;
  }
}
