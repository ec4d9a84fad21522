package io.vigil.cluster.raft;

import io.vigil.cluster.state.Apply;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import java.util.List;

/**
 * The state a two-node takeover starts the one-voter group with: the winner's replica with its
 * whole local log applied, the uncommitted tail included (every committed entry is on both logs,
 * since a commit needed both voters; applying the tail is what a new Raft leader would do), then
 * the fencing of the peer and its removal from the members. Pure.
 */
public final class TakeoverSeed {
  private TakeoverSeed() {}

  /**
   * @param applied the local replica (all entries up to its last applied index)
   * @param tail the commands of the local log after that index, in order
   * @param device the device that fenced the peer
   */
  public static ClusterState of(ClusterState applied, List<Command> tail, String self, String peer, String device,
      long fromGeneration, long term, long timeMillis) {
    ClusterState s = Apply.replay(applied, tail);
    String author = "two-node-takeover:" + self;
    String reason = "two-node takeover by " + self + ": " + peer + " fenced, the cluster moves from raft generation "
        + fromGeneration + " (term " + term + ") to generation " + (fromGeneration + 1) + " with " + self + " as its only voter";
    s = Apply.apply(s, new Command.RecordFencing(peer, device, "reboot", true, 0, reason, author, timeMillis)).state();
    if (s.members().containsKey(peer)) s = Apply.apply(s, new Command.RemoveMember(peer, author, timeMillis)).state();
    return s;
  }
}
