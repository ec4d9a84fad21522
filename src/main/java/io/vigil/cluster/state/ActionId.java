package io.vigil.cluster.state;

import java.util.Optional;

/**
 * The id of a planned action, {@code KIND:resource:node:interval}, as the transition's progress
 * keys it. A resource id may hold colons (clone instances such as {@code web:1}); a node name
 * and an interval do not, so the id is read from both ends.
 */
public record ActionId(String kind, String resource, String node, long intervalMs) {
  public static String format(String kind, String resource, String node, long intervalMs) {
    return kind + ":" + resource + ":" + node + ":" + intervalMs;
  }

  /** The parts of {@code id}, or empty when it is not of the form above. */
  public static Optional<ActionId> parse(String id) {
    int first = id.indexOf(':');
    int last = id.lastIndexOf(':');
    int beforeLast = last <= 0 ? -1 : id.lastIndexOf(':', last - 1);
    if (first <= 0 || beforeLast <= first + 1 || last <= beforeLast + 1 || last == id.length() - 1) return Optional.empty();
    try {
      long interval = Long.parseLong(id.substring(last + 1));
      return Optional.of(new ActionId(id.substring(0, first), id.substring(first + 1, beforeLast),
          id.substring(beforeLast + 1, last), interval));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The agent operation this action runs: probes and monitors are monitors. */
  public String operation() {
    return operationOf(kind);
  }

  /** The agent operation of an action kind (PROBE and MONITOR → monitor, START → start, ...). */
  public static String operationOf(String kind) {
    return switch (kind) {
      case "PROBE", "MONITOR" -> "monitor";
      default -> kind.toLowerCase(java.util.Locale.ROOT);
    };
  }
}
