package io.vigil.cluster.state;

import java.util.Map;
import java.util.Objects;

/** A node's state since a time, and its transient node attributes (health, etc.). */
public record NodeStatus(String node, NodeState state, long sinceMillis, String reason, Map<String, String> attributes) {
  public NodeStatus {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(state, "node state");
    reason = Sorted.text(reason);
    attributes = Sorted.map(attributes);
  }

  NodeStatus withState(NodeState s, long since, String why) {
    return new NodeStatus(node, s, since, why, attributes);
  }

  NodeStatus withAttributes(Map<String, String> a) {
    return new NodeStatus(node, state, sinceMillis, reason, a);
  }
}
