package io.vigil.scheduler;

import io.vigil.model.Score;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where allocation scores come from, recorded only on request ({@code vigil simulate --scores
 * --why}): every step that changes a resource's node-score table adds, per node it changed, a
 * line with the step and the change ("location prefer-a: +50", "node is standby: -INFINITY"). The
 * lines are deltas of the real tables, taken before and after each step, so they add up to the
 * final score as the allocator computed it (with Pacemaker's saturating arithmetic: a
 * -INFINITY stays -INFINITY whatever is added after it).
 */
final class ScoreTrail {
  private final Map<String, Map<String, List<String>>> lines = new HashMap<>();

  /** Records {@code label} for every node whose score differs between {@code before} and {@code after}. */
  void step(String owner, String label, Map<String, Score> before, Map<String, Score> after, List<String> nodes) {
    for (String n : nodes) {
      Score b = before.get(n);
      Score a = after.get(n);
      if (a == null || a.equals(b)) continue;
      String change;
      if (b == null) change = a.toString();
      else if (a.isInfinite()) change = a.toString();
      else change = (a.value() - b.value() >= 0 ? "+" : "") + (a.value() - b.value());
      add(owner, n, label + ": " + change);
    }
  }

  void add(String owner, String node, String line) {
    lines.computeIfAbsent(owner, k -> new HashMap<>()).computeIfAbsent(node, k -> new ArrayList<>()).add(line);
  }

  /** The lines of {@code owner} on {@code node}, in the order the steps ran. */
  List<String> of(String owner, String node) {
    return List.copyOf(lines.getOrDefault(owner, Map.of()).getOrDefault(node, List.of()));
  }

  /** A copy of a table to diff against after a step (only while recording). */
  static Map<String, Score> copy(Map<String, Score> m) {
    return new java.util.LinkedHashMap<>(m);
  }
}
