package io.vigil.cluster.raft;

import java.util.List;
import java.util.Map;

/**
 * What this node's Raft server knows right now.
 *
 * @param leader the leader's name, or empty when none is known
 * @param role LEADER, FOLLOWER, CANDIDATE or LISTENER
 * @param peers the current Raft configuration (voters and listeners)
 * @param silenceMillis on the leader: milliseconds since each follower last answered; on a follower: since the leader
 */
public record GroupInfo(String self, String leader, String role, long term, long lastAppliedIndex, List<Peer> peers,
    Map<String, Long> silenceMillis) {
  public GroupInfo {
    peers = List.copyOf(peers);
    silenceMillis = Map.copyOf(silenceMillis);
  }

  public boolean isLeader() {
    return "LEADER".equals(role);
  }
}
