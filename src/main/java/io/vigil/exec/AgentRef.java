package io.vigil.exec;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identity of a resource agent: {@code ocf:heartbeat:IPaddr2}, {@code lsb:foo},
 * {@code systemd:nginx}, {@code builtin:ip}. Only OCF agents have a provider.
 */
public record AgentRef(AgentStandard standard, String provider, String type) {

  // Agent names become path components and argv entries: no separators, no leading dot/dash.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@+-]*");
  private static final Pattern PROVIDER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  public AgentRef {
    Objects.requireNonNull(standard, "standard");
    Objects.requireNonNull(type, "type");
    if (standard == AgentStandard.OCF) {
      if (provider == null || !PROVIDER.matcher(provider).matches()) {
        throw new IllegalArgumentException(
            "OCF agent '" + type + "' needs a provider made of letters, digits, '_', '.', '-' (got '"
                + provider + "')");
      }
    } else if (provider != null) {
      throw new IllegalArgumentException(
          standard.id() + " agent '" + type + "' takes no provider (got '" + provider + "')");
    }
    if (!NAME.matcher(type).matches() || type.contains("..")) {
      throw new IllegalArgumentException(
          "agent type '" + type + "' is not a valid name (letters, digits, '_', '.', '@', '+', '-'; no '/')");
    }
  }

  /** An OCF agent reference. */
  public static AgentRef ocf(String provider, String type) {
    return new AgentRef(AgentStandard.OCF, provider, type);
  }

  /**
   * Parses {@code standard:provider:type} (OCF) or {@code standard:type}; a systemd unit may
   * be an instance such as {@code systemd:getty@tty1.service}.
   */
  public static AgentRef parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException(
          "empty agent: expected e.g. ocf:heartbeat:IPaddr2, lsb:foo, systemd:nginx or builtin:dummy");
    }
    int first = spec.indexOf(':');
    if (first < 0) {
      throw new IllegalArgumentException("agent '" + spec
          + "' has no standard: expected e.g. ocf:heartbeat:" + spec + ", lsb:" + spec
          + ", systemd:" + spec + " or builtin:" + spec);
    }
    AgentStandard standard;
    try {
      standard = AgentStandard.parse(spec.substring(0, first));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("agent '" + spec + "': " + e.getMessage(), e);
    }
    String rest = spec.substring(first + 1);
    try {
      if (standard == AgentStandard.OCF) {
        int second = rest.indexOf(':');
        if (second < 0) {
          throw new IllegalArgumentException(
              "expected ocf:PROVIDER:TYPE, e.g. ocf:heartbeat:" + rest);
        }
        return new AgentRef(standard, rest.substring(0, second), rest.substring(second + 1));
      }
      return new AgentRef(standard, null, rest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("agent '" + spec + "': " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return provider == null
        ? standard.id() + ":" + type
        : standard.id() + ":" + provider + ":" + type;
  }
}
