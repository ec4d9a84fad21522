package io.vigil.scheduler;

import io.vigil.scheduler.Transition.Edge;
import java.util.BitSet;
import java.util.List;

/** Cycle detection over an action graph (Kahn's algorithm, linear in actions and edges). */
final class GraphCheck {
  private GraphCheck() {}

  /** The actions that remain after repeatedly removing those without predecessors: empty iff acyclic. */
  static BitSet onCycles(int n, List<Edge> edges) {
    int[] indegree = new int[n];
    int[] count = new int[n + 1];
    for (Edge e : edges) {
      indegree[e.then()]++;
      count[e.first() + 1]++;
    }
    for (int i = 0; i < n; i++) count[i + 1] += count[i];
    int[] succ = new int[edges.size()];
    int[] fill = count.clone();
    for (Edge e : edges) succ[fill[e.first()]++] = e.then();
    // each action enters the queue at most once, so an array of n is enough (no boxing)
    int[] ready = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) if (indegree[i] == 0) ready[tail++] = i;
    BitSet left = new BitSet(n);
    left.set(0, n);
    while (head < tail) {
      int a = ready[head++];
      left.clear(a);
      for (int k = count[a]; k < count[a + 1]; k++) if (--indegree[succ[k]] == 0) ready[tail++] = succ[k];
    }
    return left;
  }
}
