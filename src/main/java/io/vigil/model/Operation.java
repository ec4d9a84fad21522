package io.vigil.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A configured operation of a primitive: {@code start}, {@code stop}, {@code monitor} (recurring
 * when the interval is positive), {@code promote}, {@code demote}, {@code notify},
 * {@code migrate_to}, {@code migrate_from}, ...
 *
 * <p>Unset optional attributes inherit from the operation defaults, then the agent's meta-data.
 *
 * @param extra other operation attributes and instance attributes (e.g. {@code OCF_CHECK_LEVEL}),
 *     kept verbatim
 */
public record Operation(
    String name,
    Duration interval,
    Optional<Duration> timeout,
    Optional<Role> role,
    Optional<OnFail> onFail,
    Optional<Duration> startDelay,
    boolean enabled,
    Map<String, String> extra) {

  public Operation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(onFail, "onFail");
    Objects.requireNonNull(startDelay, "startDelay");
    extra = Maps.copy(extra);
  }

  /** A plain operation with only a name, interval and timeout. */
  public static Operation of(String name, Duration interval, Duration timeout) {
    return new Operation(name, interval, Optional.ofNullable(timeout), Optional.empty(),
        Optional.empty(), Optional.empty(), true, Map.of());
  }

  public boolean isRecurring() {
    return !interval.isZero();
  }

  /** Pacemaker's operation key, e.g. {@code db_monitor_10000}. */
  public String key(String resourceId) {
    return resourceId + "_" + name + "_" + interval.toMillis();
  }
}
