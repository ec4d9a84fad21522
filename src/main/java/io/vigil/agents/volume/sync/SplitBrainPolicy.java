package io.vigil.agents.volume.sync;

import java.util.Optional;

/** What to do automatically when split brain is detected. Default: {@link #DISCONNECT} (and alert). */
public enum SplitBrainPolicy {
  /** Stay disconnected until an operator runs {@code vigil volume resolve NAME --keep NODE}. */
  DISCONNECT("disconnect"),
  /** If only one side wrote since the split, its data wins; otherwise disconnect. */
  DISCARD_ZERO_CHANGES("discard-zero-changes"),
  /** The side that became primary later loses its changes; a tie disconnects. */
  DISCARD_YOUNGER_PRIMARY("discard-younger-primary"),
  /** The side with fewer changed regions loses them; a tie disconnects. */
  DISCARD_LEAST_CHANGES("discard-least-changes");

  private final String configName;

  SplitBrainPolicy(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static SplitBrainPolicy parse(String s) {
    for (SplitBrainPolicy p : values()) {
      if (p.configName.equals(s)) return p;
    }
    throw new IllegalArgumentException("split-brain policy '" + s
        + "' unknown; expected disconnect, discard-zero-changes, discard-younger-primary or discard-least-changes");
  }

  /** The node whose data survives the split brain between {@code a} and {@code b}, or empty to stay disconnected. */
  public Optional<String> survivor(CopyView a, CopyView b) {
    return switch (this) {
      case DISCONNECT -> Optional.empty();
      case DISCARD_ZERO_CHANGES -> {
        if (a.dirtyRegions() == 0 && b.dirtyRegions() == 0) yield Optional.of(lower(a, b));
        if (a.dirtyRegions() == 0) yield Optional.of(b.node());
        if (b.dirtyRegions() == 0) yield Optional.of(a.node());
        yield Optional.empty();
      }
      case DISCARD_LEAST_CHANGES -> a.dirtyRegions() == b.dirtyRegions() ? Optional.empty()
          : Optional.of(a.dirtyRegions() > b.dirtyRegions() ? a.node() : b.node());
      case DISCARD_YOUNGER_PRIMARY -> a.gens().currentSince() == b.gens().currentSince() ? Optional.empty()
          : Optional.of(a.gens().currentSince() < b.gens().currentSince() ? a.node() : b.node());
    };
  }

  /** Deterministic pick when either side would do (both sides must decide alike). */
  private static String lower(CopyView a, CopyView b) {
    return a.node().compareTo(b.node()) <= 0 ? a.node() : b.node();
  }
}
