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

  /**
   * Consecutive failed automatic fencing attempts of this node, the time of the last (epoch ms)
   * and what it said; set by a failed attempt, removed when the node is fenced or heard again.
   */
  public static final String FENCE_FAILURES = "#fence-failures";
  public static final String FENCE_FAILED_AT = "#fence-failed-at";
  public static final String FENCE_ERROR = "#fence-error";

  /**
   * The running daemon's incarnation, set by the daemon when it starts (a fresh value per process):
   * claims made for this node by others carry it, so a restarted daemon claims them again itself.
   */
  public static final String INCARNATION = "#incarnation";

  /** The incarnation its daemon announced, or "" before the first announcement. */
  public String incarnation() {
    return attributes.getOrDefault(INCARNATION, "");
  }

  /** Consecutive failed fencing attempts recorded for this node (0 when none). */
  public int fenceFailures() {
    try {
      return Integer.parseInt(attributes.getOrDefault(FENCE_FAILURES, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** When the last failed fencing attempt was recorded (epoch ms; 0 when none). */
  public long fenceFailedAt() {
    try {
      return Long.parseLong(attributes.getOrDefault(FENCE_FAILED_AT, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

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
