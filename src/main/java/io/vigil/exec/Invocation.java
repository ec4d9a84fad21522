package io.vigil.exec;

import io.vigil.model.AgentRef;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One action to run on one resource instance: agent, instance id, action name, instance
 * parameters, meta attributes (Pacemaker names such as {@code clone_max} or {@code target-role}),
 * timeout and interval (zero for one-shot actions).
 *
 * <p>Parameters and meta attributes become environment variables, so their names are
 * restricted to what a shell variable may hold; values are passed verbatim.
 */
public record Invocation(
    AgentRef agent,
    String resourceId,
    String action,
    Map<String, String> params,
    Map<String, String> meta,
    Duration timeout,
    Duration interval) {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_-]*");

  public Invocation {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(action, "action");
    if (resourceId.isBlank() || resourceId.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("resource id '" + resourceId + "' must be non-blank text");
    }
    if (!ACTION.matcher(action).matches()) {
      throw new IllegalArgumentException(
          "action '" + action + "' is not a valid action name (e.g. start, stop, monitor, meta-data)");
    }
    params = checkedCopy(params, "parameter");
    meta = checkedCopy(meta, "meta attribute");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(interval, "interval");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("action '" + action + "' of '" + resourceId
          + "': timeout must be positive, got " + timeout);
    }
    if (interval.isNegative()) {
      throw new IllegalArgumentException("action '" + action + "' of '" + resourceId
          + "': interval must not be negative, got " + interval);
    }
  }

  /** A one-shot action (interval 0) with no meta attributes. */
  public static Invocation of(AgentRef agent, String resourceId, String action,
      Map<String, String> params, Duration timeout) {
    return new Invocation(agent, resourceId, action, params, Map.of(), timeout, Duration.ZERO);
  }

  /** The same invocation for another action (used by the tester and the monitor scheduler). */
  public Invocation withAction(String otherAction) {
    return new Invocation(agent, resourceId, otherAction, params, meta, timeout, interval);
  }

  /** The same invocation with other meta attributes. */
  public Invocation withMeta(Map<String, String> otherMeta) {
    return new Invocation(agent, resourceId, action, params, otherMeta, timeout, interval);
  }

  /** True when this is a recurring action (interval above zero). */
  public boolean recurring() {
    return !interval.isZero();
  }

  private static Map<String, String> checkedCopy(Map<String, String> in, String what) {
    if (in == null) {
      return Map.of();
    }
    TreeMap<String, String> out = new TreeMap<>();
    in.forEach((k, v) -> {
      if (k == null || !ENV_NAME.matcher(k).matches()) {
        throw new IllegalArgumentException(what + " name '" + k
            + "' must start with a letter or '_' and hold only letters, digits, '_' and '-'");
      }
      if (v == null || v.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(what + " '" + k + "' has no value or contains a NUL byte");
      }
      out.put(k, v);
    });
    return java.util.Collections.unmodifiableMap(out);
  }
}
