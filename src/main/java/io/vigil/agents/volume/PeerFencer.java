package io.vigil.agents.volume;

import java.io.IOException;

/**
 * The fence-peer handler of a Primary that has lost its peer (DRBD's {@code fencing resource-only}
 * with {@code crm-fence-peer}): records, outside both copies, that the peer's copy lacks the
 * Primary's generation {@code generation} and must not be promoted. Called off the engine thread;
 * blocks until recorded, throws if it could not be.
 */
public interface PeerFencer {
  /** No fencing (a volume outside a cluster): acknowledgements are never held. */
  PeerFencer NONE = (peer, generation) -> { };

  /** Records that {@code peerNode}'s copy is Outdated unless it holds {@code generation}. */
  void outdate(String peerNode, long generation) throws IOException;

  /**
   * Deletes the record about {@code node}'s own copy (the scheduler's promotion veto), as an
   * operator's {@code primary --force} on that node does; nothing to do without a cluster.
   */
  default void clearMark(String node) throws IOException {}

  /**
   * The promotion score attribute of {@code resource} as {@code crm_master} names it ({@code master-<resource>};
   * the cluster's own name is io.vigil.status.NodeStatus.promotionScore, which agents may not import; a test ties both).
   */
  static String promotionScore(String resource) {
    return "master-" + resource;
  }

  /**
   * The node attribute that carries the record for the cluster resource {@code resource} (a
   * primitive id): the scheduler's promotion veto (io.vigil.status.NodeStatus.promotionVeto, tied
   * by a test), so the copy is never chosen for promotion while it stands, whatever score the copy's
   * own agent sets meanwhile.
   */
  static String markAttribute(String resource) {
    return "no-promote-" + resource;
  }

  /** The attribute's value: the generation a copy must hold (hex, as status shows it) and who recorded it. */
  static String markValue(long generation, String byNode) {
    return String.format("%016X", generation) + " by " + byNode;
  }

  /** The generation named by a mark's value (its first word), as status prints it; "" for a malformed value. */
  static String markGeneration(String value) {
    String g = value == null ? "" : value.strip().split("\\s+")[0];
    return g.matches("[0-9A-F]{16}") ? g : "";
  }
}
