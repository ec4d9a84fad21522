package io.vigil.cluster.state;

import java.util.Map;
import java.util.Objects;

/**
 * The coordinator's current transition: an opaque payload (the scheduler's own encoding) computed
 * against a config epoch, and the progress of each of its actions by action id.
 */
public record Transition(String id, long configEpoch, String payload, long createdMillis, Map<String, ActionProgress> progress) {
  public Transition {
    Objects.requireNonNull(id, "transition id");
    payload = Sorted.text(payload);
    progress = Sorted.map(progress);
  }

  /**
   * Where one action of the transition stands. A RUNNING claim names the node that runs the action
   * and, when known, that node's daemon {@code incarnation} ({@link NodeStatus#INCARNATION}): a
   * daemon runs without claiming again only a claim made for its own incarnation, whoever made it
   * (itself, the leader with the plan, or the node whose result the action waited for).
   */
  public record ActionProgress(String actionId, Phase phase, int rc, long updatedMillis, String node, String incarnation) {
    /** PENDING -> RUNNING -> DONE | FAILED; PENDING -> CANCELLED. */
    public enum Phase { PENDING, RUNNING, DONE, FAILED, CANCELLED }

    public ActionProgress {
      Objects.requireNonNull(actionId, "action id");
      Objects.requireNonNull(phase, "action phase");
      node = Sorted.text(node);
      incarnation = Sorted.text(incarnation);
    }

    /** Progress without an incarnation (not a claim, or one any daemon of {@code node} claims again). */
    public ActionProgress(String actionId, Phase phase, int rc, long updatedMillis, String node) {
      this(actionId, phase, rc, updatedMillis, node, "");
    }
  }
}
