package io.vigil.cluster.state;

import java.util.Objects;

/**
 * A window in which nobody (node empty) or one node is not fenced. It ends by itself at
 * {@code untilMillis}: readers compare with their time input ({@link ClusterState#activePauses}).
 */
public record FencingPause(String id, String node, long fromMillis, long untilMillis, String author, String reason) {
  public FencingPause {
    Objects.requireNonNull(id, "pause id");
    node = Sorted.text(node);
    author = Sorted.text(author);
    reason = Sorted.text(reason);
    if (untilMillis < fromMillis) {
      throw new IllegalArgumentException("fencing pause '" + id + "' ends before it starts");
    }
  }

  /** Whether the pause covers {@code node} at {@code nowMillis}. */
  public boolean covers(String target, long nowMillis) {
    return nowMillis < untilMillis && (node.isEmpty() || node.equals(target));
  }
}
