package io.vigil.scheduler;

import io.vigil.model.ClusterProperties;
import io.vigil.model.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Node capacity under placement-strategy: with {@code utilization}, {@code minimal} or
 * {@code balanced} a node must have room for a unit's utilization; {@code minimal} ignores how
 * loaded nodes are when breaking ties, {@code balanced} prefers the node with more free capacity.
 */
final class Capacity {
  final String strategy;
  private final Map<String, Map<String, Integer>> free = new HashMap<>();

  Capacity(Context ctx) {
    this.strategy = ctx.config.properties().getOrDefault(ClusterProperties.PLACEMENT_STRATEGY);
    for (Node n : ctx.config.nodes()) {
      Map<String, Integer> cap = new HashMap<>(n.utilization());
      io.vigil.status.NodeStatus ns = ctx.statusByName.get(n.name());
      if (ns != null) cap.putAll(ns.utilization());
      free.put(n.name(), cap);
    }
  }

  boolean enforced() {
    return !strategy.equals("default");
  }

  boolean countsLoad() {
    return !strategy.equals("minimal");
  }

  static Map<String, Integer> demand(List<Inst> members) {
    Map<String, Integer> d = new HashMap<>();
    for (Inst i : members) i.prim.utilization().forEach((k, v) -> d.merge(k, v, Integer::sum));
    return d;
  }

  boolean fits(String node, Map<String, Integer> demand) {
    if (!enforced()) return true;
    Map<String, Integer> f = free.getOrDefault(node, Map.of());
    for (Map.Entry<String, Integer> e : demand.entrySet()) {
      if (e.getValue() > 0 && f.getOrDefault(e.getKey(), 0) < e.getValue()) return false;
    }
    return true;
  }

  void consume(String node, Map<String, Integer> demand) {
    Map<String, Integer> f = free.computeIfAbsent(node, k -> new HashMap<>());
    demand.forEach((k, v) -> f.merge(k, -v, Integer::sum));
  }

  /** Whether {@link #compare} looks at free room at all (placement-strategy=balanced). */
  boolean comparesFreeRoom() {
    return strategy.equals("balanced");
  }

  /** Negative when {@code a} has more free capacity than {@code b} (balanced strategy only). */
  int compare(String a, String b) {
    if (!strategy.equals("balanced")) return 0;
    int result = 0;
    Map<String, Integer> fa = free.getOrDefault(a, Map.of());
    Map<String, Integer> fb = free.getOrDefault(b, Map.of());
    for (String k : fa.keySet()) {
      int x = fa.getOrDefault(k, 0);
      int y = fb.getOrDefault(k, 0);
      if (x > y) result--;
      else if (x < y) result++;
    }
    for (String k : fb.keySet()) if (!fa.containsKey(k) && fb.get(k) > 0) result++;
    return result;
  }
}
