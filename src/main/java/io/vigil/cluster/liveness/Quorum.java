package io.vigil.cluster.liveness;

import java.util.Set;

/**
 * Quorum of the voting members, with Corosync's two_node semantics.
 *
 * <p>Normally a partition has quorum when it reaches a strict majority of the voters. With
 * {@code twoNode} (exactly two voters) one node alone keeps quorum, because fencing decides
 * the split; to stop two freshly booted nodes that cannot see each other from both starting
 * resources, {@code waitForAll} denies quorum until every voter has been seen once since start.
 *
 * @param seenAllSinceStart whether every voter was reachable at some point since this node started
 */
public record Quorum(Set<String> voters, boolean twoNode, boolean waitForAll, boolean seenAllSinceStart) {
  public Quorum {
    voters = Set.copyOf(voters);
    if (twoNode && voters.size() != 2) {
      throw new IllegalArgumentException("two-node mode needs exactly 2 voters, the cluster has " + voters.size());
    }
  }

  /** Ordinary majority quorum over {@code voters}. */
  public static Quorum majority(Set<String> voters) {
    return new Quorum(voters, false, false, false);
  }

  /** Two-node mode, waiting for both nodes at first start. */
  public static Quorum twoNode(Set<String> voters) {
    return new Quorum(voters, true, true, false);
  }

  /** Voters needed for a majority: floor(n/2)+1. */
  public int majoritySize() {
    return voters.size() / 2 + 1;
  }

  /** Records that {@code reachable} (including this node) were seen together; returns the updated value. */
  public Quorum observe(Set<String> reachable) {
    if (seenAllSinceStart || !reachable.containsAll(voters)) return this;
    return new Quorum(voters, twoNode, waitForAll, true);
  }

  /** Whether a partition that reaches {@code reachable} (including this node) has quorum. */
  public boolean hasQuorum(Set<String> reachable) {
    long votes = voters.stream().filter(reachable::contains).count();
    if (twoNode) {
      if (waitForAll && !seenAllSinceStart && votes < 2) return false;
      return votes >= 1;
    }
    return votes >= majoritySize();
  }
}
