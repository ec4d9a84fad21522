package io.vigil.cluster.state;

import java.util.Objects;

/**
 * A member of the Raft group as the replicated state records it.
 *
 * <p>Join states: {@code ENROLLED -> JOINED -> LEAVING}; a removed member is dropped from the map.
 *
 * @param address host:port of its Raft (gRPC) endpoint
 */
public record Member(String name, String address, Role role, JoinState joinState, long sinceMillis) {
  /** Voters count for quorum; listeners (Ratis listeners) replicate the log without voting. */
  public enum Role { VOTER, LISTENER }

  /** How far the member is in joining or leaving the group. */
  public enum JoinState { ENROLLED, JOINED, LEAVING }

  public Member {
    Objects.requireNonNull(name, "member name");
    Objects.requireNonNull(address, "member address");
    Objects.requireNonNull(role, "member role");
    Objects.requireNonNull(joinState, "member join state");
  }
}
