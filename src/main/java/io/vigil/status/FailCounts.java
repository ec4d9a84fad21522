package io.vigil.status;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Reads fail counts and last-failure times from a node's transient attributes, in both of
 * Pacemaker's spellings: {@code fail-count-RSC} and per operation {@code fail-count-RSC#OP_INTERVAL}.
 */
public final class FailCounts {
  private FailCounts() {}

  /** One failure entry: its count and the time of the last failure (if recorded). */
  public record Failure(String operationKey, int count, Optional<Instant> lastFailure) {}

  /** Every failure entry of {@code resourceId} (an instance id like {@code rsc:1} or a base id). */
  public static java.util.List<Failure> of(NodeStatus node, String resourceId) {
    java.util.List<Failure> out = new java.util.ArrayList<>();
    Map<String, String> a = node.attributes();
    String plain = "fail-count-" + resourceId;
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(a).entrySet()) {
      String k = e.getKey();
      String opKey;
      if (k.equals(plain)) {
        opKey = "";
      } else if (k.startsWith(plain + "#")) {
        opKey = k.substring(plain.length() + 1);
      } else {
        continue;
      }
      int count = parseCount(e.getValue());
      String lf = a.get("last-failure-" + resourceId + (opKey.isEmpty() ? "" : "#" + opKey));
      Optional<Instant> when = Optional.empty();
      if (lf != null) {
        try {
          when = Optional.of(Instant.ofEpochSecond(Long.parseLong(lf.strip())));
        } catch (NumberFormatException ignored) {
          // an unreadable time counts as "unknown", which never expires
        }
      }
      if (count > 0) out.add(new Failure(opKey, count, when));
    }
    return out;
  }

  /** Parses a fail count: an integer or INFINITY, saturated at 1,000,000. */
  public static int parseCount(String v) {
    String t = v.strip().toUpperCase(java.util.Locale.ROOT);
    if (t.equals("INFINITY") || t.equals("+INFINITY")) return 1_000_000;
    try {
      long n = Long.parseLong(t);
      return (int) Math.max(0, Math.min(1_000_000, n));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
