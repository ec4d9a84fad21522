package io.vigil.cluster.state;

/**
 * What the cluster believes about a node.
 *
 * <pre>
 * ONLINE      -> LOST, STANDBY, MAINTENANCE, FENCED
 * LOST        -> FENCED, ONLINE (it came back before being fenced)
 * FENCED      -> ONLINE (it rejoined after a reboot)
 * STANDBY     -> ONLINE, LOST, MAINTENANCE, FENCED
 * MAINTENANCE -> ONLINE, LOST, STANDBY, FENCED
 * </pre>
 *
 * Any state may be entered from the initial (absent) state. Other moves are rejected by apply.
 */
public enum NodeState {
  ONLINE, LOST, FENCED, STANDBY, MAINTENANCE;

  /** Whether the table above allows {@code this -> next}; staying in the same state is allowed. */
  public boolean canMoveTo(NodeState next) {
    if (next == this) return true;
    return switch (this) {
      case ONLINE -> next != ONLINE;
      case LOST -> next == FENCED || next == ONLINE;
      case FENCED -> next == ONLINE;
      case STANDBY, MAINTENANCE -> true;
    };
  }
}
