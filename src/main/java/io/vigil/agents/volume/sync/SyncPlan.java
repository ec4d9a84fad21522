package io.vigil.agents.volume.sync;

/** Outcome of two copies meeting, identical when computed on either side. */
public sealed interface SyncPlan {
  /** The copies are identical (or their bitmaps say exactly where they differ: none). */
  record InSync() implements SyncPlan {}

  /**
   * {@code source}'s data is copied to the other node: every region set in either bitmap, or
   * everything when {@code full}. {@code splitBrain} says an automatic or manual split-brain
   * resolution chose the source (the other side's changes are discarded).
   */
  record Resync(String source, boolean full, boolean splitBrain, String why) implements SyncPlan {}

  /** The copies must not connect; {@code splitBrain} asks for an alert and a manual resolve. */
  record Refuse(String reason, boolean splitBrain) implements SyncPlan {}
}
