package io.vigil.status;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cluster observed: every node's membership and history, quorum and the coordinator.
 * Nodes that are configured but absent here have never been seen.
 *
 * @param executionDate the time recorded with a saved CIB ({@code execution-date}), if any
 */
public record ClusterStatus(
    List<NodeStatus> nodes,
    boolean quorum,
    Optional<String> dc,
    Optional<Instant> executionDate) {

  public ClusterStatus {
    nodes = List.copyOf(nodes);
    Objects.requireNonNull(dc);
    Objects.requireNonNull(executionDate);
  }

  public static ClusterStatus of(List<NodeStatus> nodes) {
    return new ClusterStatus(nodes, true, Optional.empty(), Optional.empty());
  }

  public Optional<NodeStatus> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  public Map<String, NodeStatus> byName() {
    Map<String, NodeStatus> m = new LinkedHashMap<>();
    nodes.forEach(n -> m.putIfAbsent(n.name(), n));
    return m;
  }

  /** This status with one node's record replaced (or added). */
  public ClusterStatus withNode(NodeStatus node) {
    List<NodeStatus> out = new java.util.ArrayList<>(nodes.stream().filter(n -> !n.name().equals(node.name())).toList());
    int at = 0;
    for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).name().equals(node.name())) at = i + 1;
    if (at > 0) out.add(at - 1, node); else out.add(node);
    return new ClusterStatus(out, quorum, dc, executionDate);
  }

  public ClusterStatus withQuorum(boolean q) {
    return new ClusterStatus(nodes, q, dc, executionDate);
  }
}
