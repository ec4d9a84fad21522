package io.vigil.fencing.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The set of fencing pauses, immutable: every change returns a new value (the runtime replicates it).
 * Pauses end by themselves at their deadline; {@link #resume} ends them early.
 */
public record Pauses(List<PauseWindow> windows) {
  /** Longest pause accepted: a forgotten pause must not disable fencing for good. */
  public static final Duration MAX = Duration.ofDays(7);
  public static final Pauses NONE = new Pauses(List.of());

  public Pauses {
    windows = List.copyOf(windows);
  }

  /**
   * Adds a pause of {@code length} from {@code now}.
   *
   * @throws IllegalArgumentException when the length is not in (0, 7 days] or the reason is missing
   */
  public Pauses pause(Optional<String> node, Duration length, String reason, String by, Instant now) {
    if (length.isNegative() || length.isZero() || length.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("fencing pause of " + length + " is not between 1s and 7d");
    }
    List<PauseWindow> out = new ArrayList<>(expire(now).windows);
    out.add(new PauseWindow(node, now, now.plus(length), reason, by));
    return new Pauses(out);
  }

  /** Ends every pause of {@code node} (empty: the cluster-wide ones, or every pause when {@code all}). */
  public Pauses resume(Optional<String> node, boolean all, Instant now) {
    List<PauseWindow> out = new ArrayList<>();
    for (PauseWindow w : expire(now).windows) {
      if (!all && !w.node().equals(node)) out.add(w);
    }
    return new Pauses(out);
  }

  /** Without the pauses that ended at or before {@code now}. */
  public Pauses expire(Instant now) {
    return new Pauses(windows.stream().filter(w -> now.isBefore(w.until())).toList());
  }

  /** The active pause that covers {@code target} and lasts longest, if any. */
  public Optional<PauseWindow> covering(String target, Instant now) {
    return windows.stream().filter(w -> w.covers(target, now)).max(Comparator.comparing(PauseWindow::until));
  }

  /** Pauses active at {@code now}, for the status banner. */
  public List<PauseWindow> active(Instant now) {
    return windows.stream().filter(w -> !now.isBefore(w.from()) && now.isBefore(w.until())).toList();
  }

  /** When the next pause ends, so the caller knows when to decide again. */
  public Optional<Instant> nextDeadline(Instant now) {
    return active(now).stream().map(PauseWindow::until).min(Comparator.naturalOrder());
  }
}
