package io.vigil.cluster.state;

import java.util.Map;

/**
 * What the cluster knows about the world: node states, the newest result of every operation,
 * fail counts, the current transition ({@code null} when there is none) and the fence devices' monitor results.
 *
 * @param operations by {@link OpResult#key()}
 * @param failCounts by {@link FailCount#key(String, String)}
 */
public record Status(Map<String, NodeStatus> nodes, Map<String, OpResult> operations, Map<String, FailCount> failCounts,
    Transition transition, Map<String, DeviceStatus> devices) {
  public static final Status EMPTY = new Status(Map.of(), Map.of(), Map.of(), null);

  public Status {
    nodes = Sorted.map(nodes);
    operations = Sorted.map(operations);
    failCounts = Sorted.map(failCounts);
    devices = Sorted.map(devices); // absent in snapshots written before device monitoring
  }

  public Status(Map<String, NodeStatus> nodes, Map<String, OpResult> operations, Map<String, FailCount> failCounts,
      Transition transition) {
    this(nodes, operations, failCounts, transition, Map.of());
  }

  Status withNodes(Map<String, NodeStatus> n) {
    return new Status(n, operations, failCounts, transition, devices);
  }

  Status withOperations(Map<String, OpResult> o, Map<String, FailCount> f) {
    return new Status(nodes, o, f, transition, devices);
  }

  Status withTransition(Transition t) {
    return new Status(nodes, operations, failCounts, t, devices);
  }

  Status withDevices(Map<String, DeviceStatus> d) {
    return new Status(nodes, operations, failCounts, transition, d);
  }
}
