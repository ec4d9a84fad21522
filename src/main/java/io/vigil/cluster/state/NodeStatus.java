package io.vigil.cluster.state;

import java.util.Map;
import java.util.Objects;

/** A node's state since a time, and its transient node attributes (health, etc.). */
public record NodeStatus(String node, NodeState state, long sinceMillis, String reason, Map<String, String> attributes) {
  /**
   * Attribute of a LOST node that was in maintenance when it was lost: it is not fenced and what it ran stays
   * where it was (blocked, not recovered) until it returns (to MAINTENANCE) or an operator confirms it is down.
   */
  public static final String LOST_IN_MAINTENANCE = "lost-in-maintenance";

  /** Whether this node was in maintenance when it was lost (see {@link #LOST_IN_MAINTENANCE}). */
  public boolean lostInMaintenance() {
    return state == NodeState.LOST && attributes.containsKey(LOST_IN_MAINTENANCE);
  }
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
