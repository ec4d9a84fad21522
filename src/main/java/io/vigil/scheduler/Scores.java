package io.vigil.scheduler;

import io.vigil.model.Score;
import java.util.List;
import java.util.Map;

/** Small helpers over node-score tables (package-private). */
final class Scores {
  private Scores() {}

  static Score get(Map<String, Score> m, String node) {
    return m.getOrDefault(node, Score.MINUS_INFINITY);
  }

  static void add(Map<String, Score> m, String node, Score s) {
    m.put(node, get(m, node).plus(s));
  }

  /**
   * Whether both tables hold the same scores for the same nodes, as {@code a.equals(b)} would say,
   * comparing score values directly: Score's generated equals costs an invokedynamic bootstrap
   * (about 10 ms) the first time a cold simulation calls it.
   */
  static boolean same(Map<String, Score> a, Map<String, Score> b) {
    if (a == b) return true;
    if (a.size() != b.size()) return false;
    for (Map.Entry<String, Score> e : a.entrySet()) {
      Score other = b.get(e.getKey());
      if (other == null ? e.getValue() != null || !b.containsKey(e.getKey())
          : e.getValue() == null || other.value() != e.getValue().value()) {
        return false;
      }
    }
    return true;
  }

  static boolean anyAvailable(Map<String, Score> m, List<String> nodes) {
    for (String n : nodes) if (get(m, n).value() >= 0) return true;
    return false;
  }

  /** Adds {@code factor × source} to {@code target} for every node, as colocation influence. */
  static Map<String, Score> merged(Map<String, Score> target, Map<String, Score> source, double factor,
      List<String> nodes, boolean onlyPositive) {
    Map<String, Score> work = new java.util.LinkedHashMap<>(target);
    for (String n : nodes) {
      Score s = get(source, n);
      if (factor < 0 && s.value() < 0) continue;
      Score cur = get(work, n);
      Score delta = s.isInfinite() ? s.times(factor >= 1 || factor <= -1 ? factor : factor) : Score.of((long) (s.value() * factor));
      if (s.isInfinite() && Math.abs(factor) < 1) delta = Score.of((long) (s.value() * factor));
      Score next = cur.plus(delta);
      if (onlyPositive && next.value() < 0) {
        if (cur.value() > 0) next = Score.of(1);
        else if (cur.value() == 0) continue;
      }
      work.put(n, next);
    }
    return work;
  }
}
