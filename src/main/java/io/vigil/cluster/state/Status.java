package io.vigil.cluster.state;

import java.util.Map;

/**
 * What the cluster knows about the world: node states, the newest result of every operation,
 * fail counts and the current transition ({@code null} when there is none).
 *
 * @param operations by {@link OpResult#key()}
 * @param failCounts by {@link FailCount#key(String, String)}
 */
public record Status(Map<String, NodeStatus> nodes, Map<String, OpResult> operations, Map<String, FailCount> failCounts,
    Transition transition) {
  public static final Status EMPTY = new Status(Map.of(), Map.of(), Map.of(), null);

  public Status {
    nodes = Sorted.map(nodes);
    operations = Sorted.map(operations);
    failCounts = Sorted.map(failCounts);
  }

  Status withNodes(Map<String, NodeStatus> n) {
    return new Status(n, operations, failCounts, transition);
  }

  Status withOperations(Map<String, OpResult> o, Map<String, FailCount> f) {
    return new Status(nodes, o, f, transition);
  }

  Status withTransition(Transition t) {
    return new Status(nodes, operations, failCounts, t);
  }
}
