package io.vigil.model;

import static io.vigil.model.AttributeKey.bool;
import static io.vigil.model.AttributeKey.duration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Defaults for operation attributes not set on the operation itself. */
public record OpDefaults(Map<String, String> values) {
  public static final AttributeKey<Duration> TIMEOUT = duration("timeout", "20s",
      "Timeout of operations that set none (agent meta-data first, then this).");
  public static final AttributeKey<Duration> INTERVAL = duration("interval", "0s",
      "Interval of operations that set none.");
  public static final AttributeKey<Boolean> RECORD_PENDING = bool("record-pending", true,
      "Record operations in progress in the status.");
  public static final AttributeKey<Boolean> ENABLED = bool("enabled", true,
      "false disables operations (e.g. every recurring monitor).");
  public static final AttributeKey<Duration> START_DELAY = duration("start-delay", "0s",
      "Wait this long before the first run of a recurring operation.");
  public static final AttributeKey<OnFail> ON_FAIL = new AttributeKey<>("on-fail",
      "one of ignore, block, stop, restart, standby, fence, demote",
      s -> OnFail.parse(s).orElseThrow(() -> new IllegalArgumentException("bad on-fail")), OnFail::label,
      Optional.empty(), "What to do when an operation fails (default depends on the action).");


  public static final KeyRegistry KEYS = new KeyRegistry("operation default",
      List.of(TIMEOUT, INTERVAL, RECORD_PENDING, ENABLED, START_DELAY, ON_FAIL), Map.of());

  public static final OpDefaults EMPTY = new OpDefaults(Map.of());

  public OpDefaults {
    values = KEYS.canonicalise(values);
  }

  public <T> Optional<T> get(AttributeKey<T> key) {
    String v = values.get(key.name());
    return v == null ? Optional.empty() : Optional.of(key.parse(v));
  }
}
