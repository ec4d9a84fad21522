package io.vigil.status;

/**
 * What a node can do right now, derived from its membership record by {@link NodeStatus#state}.
 *
 * <p>ONLINE runs resources; PENDING is joining and runs nothing; OFFLINE left cleanly; UNCLEAN
 * may still run resources and must be fenced before they are recovered elsewhere; SHUTTING_DOWN
 * is online but stopping everything.
 */
public enum NodeState {
  ONLINE, PENDING, OFFLINE, UNCLEAN, SHUTTING_DOWN;

  /** Whether resources may be placed on a node in this state. */
  public boolean canRunResources() {
    return this == ONLINE;
  }
}
