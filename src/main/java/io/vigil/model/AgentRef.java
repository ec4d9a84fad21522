package io.vigil.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Names a resource agent: {@code ocf:heartbeat:IPaddr2}, {@code lsb:postfix},
 * {@code systemd:nginx}, {@code stonith:fence_ipmilan} or {@code builtin:ip}.
 *
 * @param provider the OCF provider; empty for every other class
 */
public record AgentRef(ResourceClass resourceClass, String provider, String type) {
  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.@+-]+");
  /** cluster-glue stonith plugins are named like {@code external/ipmi}; no other class takes '/'. */
  private static final java.util.regex.Pattern STONITH_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]*(/[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]*)?");

  public AgentRef {
    Objects.requireNonNull(resourceClass, "resourceClass");
    provider = provider == null ? "" : provider;
    Objects.requireNonNull(type, "type");
    boolean ok = resourceClass == ResourceClass.STONITH ? STONITH_NAME.matcher(type).matches() : NAME.matcher(type).matches();
    if (!ok) {
      throw new IllegalArgumentException("agent type '" + type + "' has characters outside [A-Za-z0-9_.@+-]"
          + (resourceClass == ResourceClass.STONITH ? " (one '/' is allowed, as in external/ipmi)" : ""));
    }
    if (resourceClass.needsProvider() && !NAME.matcher(provider).matches()) {
      throw new IllegalArgumentException(
          "agent '" + resourceClass + "::" + type + "' needs a provider (class:provider:type)");
    }
    if (!resourceClass.needsProvider() && !provider.isEmpty()) {
      throw new IllegalArgumentException(
          "agent class '" + resourceClass + "' takes no provider (expected " + resourceClass + ":" + type + ")");
    }
  }

  /**
   * Parses {@code class:provider:type} or {@code class:type}.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static AgentRef parse(String text) {
    String[] parts = text.strip().split(":", -1);
    String classes = Arrays.stream(ResourceClass.values()).map(ResourceClass::label).collect(Collectors.joining("|"));
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an agent name (expected class:provider:type or class:type, class one of " + classes + ")");
    }
    ResourceClass rc = ResourceClass.parse(parts[0]).orElseThrow(() -> new IllegalArgumentException(
        "'" + text + "': unknown agent class '" + parts[0] + "' (expected one of " + classes + ")"));
    if (parts.length == 3) return new AgentRef(rc, parts[1], parts[2]);
    return new AgentRef(rc, "", parts[1]);
  }

  @Override
  public String toString() {
    return provider.isEmpty() ? resourceClass + ":" + type : resourceClass + ":" + provider + ":" + type;
  }
}
