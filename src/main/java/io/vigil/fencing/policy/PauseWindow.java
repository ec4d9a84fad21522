package io.vigil.fencing.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A fencing pause: nobody (or {@code node}) is fenced automatically in [{@code from}, {@code until}).
 *
 * @param node empty for a cluster-wide pause
 * @param by who asked for it
 */
public record PauseWindow(Optional<String> node, Instant from, Instant until, String reason, String by) {
  public PauseWindow {
    node = node == null ? Optional.empty() : node;
    Objects.requireNonNull(from);
    Objects.requireNonNull(until);
    if (!until.isAfter(from)) throw new IllegalArgumentException("pause ends at " + until + ", not after its start " + from);
    if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a fencing pause needs a reason (--reason)");
    by = by == null ? "unknown" : by;
  }

  public boolean covers(String target, Instant now) {
    return !now.isBefore(from) && now.isBefore(until) && node.map(target::equals).orElse(true);
  }

  /** "cluster-wide" or "node 'x'", for messages. */
  public String scope() {
    return node.map(n -> "node '" + n + "'").orElse("cluster-wide");
  }
}
