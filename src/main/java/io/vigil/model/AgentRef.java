package io.vigil.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Names a resource agent: {@code ocf:heartbeat:IPaddr2}, {@code lsb:postfix},
 * {@code systemd:nginx}, {@code stonith:fence_ipmilan} or {@code builtin:ip}.
 *
 * <p>Names become path components and argv entries, so they hold no separators, do not start
 * with a dot or dash, and never contain {@code ..}. The one exception: cluster-glue stonith
 * plugins are named like {@code external/ipmi}.
 *
 * @param provider the OCF provider; empty for every other class
 */
public record AgentRef(ResourceClass resourceClass, String provider, String type) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@+-]*");
  private static final Pattern STONITH_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@+-]*(/[A-Za-z0-9_][A-Za-z0-9_.@+-]*)?");
  /** LSB scripts may be named by absolute path, as Pacemaker allows ({@code lsb:/usr/lib/x/script}). */
  private static final Pattern LSB_PATH = Pattern.compile("(/[A-Za-z0-9_][A-Za-z0-9_.@+-]*)+");
  private static final Pattern PROVIDER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  public AgentRef {
    Objects.requireNonNull(resourceClass, "resourceClass");
    provider = provider == null ? "" : provider;
    Objects.requireNonNull(type, "type");
    if (resourceClass.needsProvider()) {
      if (!PROVIDER.matcher(provider).matches() || provider.contains("..")) {
        throw new IllegalArgumentException(resourceClass + " agent '" + type
            + "' needs a provider made of letters, digits, '_', '.', '-' (got '" + provider + "')");
      }
    } else if (!provider.isEmpty()) {
      throw new IllegalArgumentException(
          "agent class '" + resourceClass + "' takes no provider (expected " + resourceClass + ":" + type + ")");
    }
    Pattern names = switch (resourceClass) {
      case STONITH -> STONITH_NAME;
      case LSB -> type.startsWith("/") ? LSB_PATH : NAME;
      default -> NAME;
    };
    if (!names.matcher(type).matches() || type.contains("..")) {
      throw new IllegalArgumentException("agent type '" + type + "' is not a valid name (letters, digits, '_', '.', '@', '+', '-'"
          + (resourceClass == ResourceClass.STONITH ? "; one '/' as in external/ipmi)" : "; no '/')"));
    }
  }

  /** An OCF agent reference. */
  public static AgentRef ocf(String provider, String type) {
    return new AgentRef(ResourceClass.OCF, provider, type);
  }

  /**
   * Parses {@code class:provider:type} (OCF) or {@code class:type}; the class is case-insensitive.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static AgentRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "empty agent: expected e.g. ocf:heartbeat:IPaddr2, lsb:foo, systemd:nginx or builtin:dummy");
    }
    String spec = text.strip();
    int first = spec.indexOf(':');
    if (first < 0) {
      throw new IllegalArgumentException("agent '" + spec + "' has no class: expected e.g. ocf:heartbeat:" + spec
          + ", lsb:" + spec + ", systemd:" + spec + " or builtin:" + spec);
    }
    String classes = Arrays.stream(ResourceClass.values()).map(ResourceClass::label).collect(Collectors.joining(", "));
    ResourceClass rc = ResourceClass.parse(spec.substring(0, first)).orElseThrow(() -> new IllegalArgumentException(
        "agent '" + spec + "': unknown agent class '" + spec.substring(0, first) + "': expected one of " + classes));
    String rest = spec.substring(first + 1);
    try {
      if (rc.needsProvider()) {
        int second = rest.indexOf(':');
        if (second < 0) throw new IllegalArgumentException("expected " + rc + ":PROVIDER:TYPE, e.g. " + rc + ":heartbeat:" + rest);
        return new AgentRef(rc, rest.substring(0, second), rest.substring(second + 1));
      }
      return new AgentRef(rc, "", rest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("agent '" + spec + "': " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return provider.isEmpty() ? resourceClass + ":" + type : resourceClass + ":" + provider + ":" + type;
  }
}
