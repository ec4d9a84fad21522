package io.vigil.model;

import static io.vigil.model.AttributeKey.bool;
import static io.vigil.model.AttributeKey.choice;
import static io.vigil.model.AttributeKey.duration;
import static io.vigil.model.AttributeKey.integer;
import static io.vigil.model.AttributeKey.role;
import static io.vigil.model.AttributeKey.score;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Meta attributes of a resource (or the resource defaults), validated and stored as canonical
 * text. A resource's effective value is its own, else its parent's, else the resource defaults,
 * else the key's default — see {@link #overriddenBy}.
 */
public record Meta(Map<String, String> values) {
  public static final AttributeKey<Role> TARGET_ROLE = role("target-role", "Started",
      "Role the cluster tries to keep the resource in; Stopped stops it.");
  public static final AttributeKey<Score> STICKINESS = score("resource-stickiness", "0",
      "Preference to stay on the current node, added to that node's score.");
  public static final AttributeKey<Score> MIGRATION_THRESHOLD = score("migration-threshold", "INFINITY",
      "Failures on a node after which the resource is banned there (0 = never).");
  public static final AttributeKey<Duration> FAILURE_TIMEOUT = duration("failure-timeout", "0s",
      "Failures older than this are forgotten (0 = never).");
  public static final AttributeKey<Boolean> IS_MANAGED = bool("is-managed", true,
      "false: the cluster monitors but never starts or stops the resource.");
  public static final AttributeKey<Boolean> MAINTENANCE = bool("maintenance", false,
      "true: unmanaged and its monitors are suspended.");
  public static final AttributeKey<Boolean> ALLOW_MIGRATE = bool("allow-migrate", false,
      "Move by live migration (migrate_to/migrate_from) instead of stop and start.");
  public static final AttributeKey<Integer> PRIORITY = integer("priority", Integer.MIN_VALUE + 1, "0",
      "Resources with higher priority are placed first and kept when not all can run.");
  public static final AttributeKey<String> MULTIPLE_ACTIVE = choice("multiple-active", "stop_start",
      "What to do when found active on several nodes.", "stop_start", "stop_only", "block", "stop_unexpected");
  public static final AttributeKey<String> REQUIRES = choice("requires", null,
      "What must hold before the resource may start.", "nothing", "quorum", "fencing", "unfencing");
  public static final AttributeKey<Boolean> CRITICAL = bool("critical", true,
      "Whether colocations with this resource are mandatory by default.");
  public static final AttributeKey<Integer> CLONE_MAX = integer("clone-max", 0, null,
      "Clones: how many instances (default: number of nodes).");
  public static final AttributeKey<Integer> CLONE_NODE_MAX = integer("clone-node-max", 0, "1",
      "Clones: instances per node.");
  public static final AttributeKey<Integer> CLONE_MIN = integer("clone-min", 0, "0",
      "Clones: instances that must run before dependents start.");
  public static final AttributeKey<Boolean> GLOBALLY_UNIQUE = bool("globally-unique", false,
      "Clones: whether instances are distinct (anonymous clones otherwise).");
  public static final AttributeKey<Boolean> INTERLEAVE = bool("interleave", false,
      "Clones: order/colocate instance by instance with another clone.");
  public static final AttributeKey<Boolean> NOTIFY = bool("notify", false,
      "Clones: send notify actions before and after each action.");
  public static final AttributeKey<Boolean> ORDERED = bool("ordered", false,
      "Clones: start instances one after another.");
  public static final AttributeKey<Boolean> PROMOTABLE = bool("promotable", false,
      "Clones: instances can be promoted.");
  public static final AttributeKey<Integer> PROMOTED_MAX = integer("promoted-max", 0, "1",
      "Promotable clones: promoted instances in the cluster.");
  public static final AttributeKey<Integer> PROMOTED_NODE_MAX = integer("promoted-node-max", 0, "1",
      "Promotable clones: promoted instances per node.");

  /** Every resource meta attribute Vigil understands. */
  public static final KeyRegistry KEYS = new KeyRegistry("resource meta attribute", List.of(
      TARGET_ROLE, STICKINESS, MIGRATION_THRESHOLD, FAILURE_TIMEOUT, IS_MANAGED, MAINTENANCE,
      ALLOW_MIGRATE, PRIORITY, MULTIPLE_ACTIVE, REQUIRES, CRITICAL, CLONE_MAX, CLONE_NODE_MAX,
      CLONE_MIN, GLOBALLY_UNIQUE, INTERLEAVE, NOTIFY, ORDERED, PROMOTABLE, PROMOTED_MAX,
      PROMOTED_NODE_MAX),
      Map.of("stickiness", "resource-stickiness", "master-max", "promoted-max",
          "master-node-max", "promoted-node-max"));

  public static final Meta EMPTY = new Meta(Map.of());

  /** @throws IllegalArgumentException on an unknown key or a bad value */
  public Meta {
    values = KEYS.canonicalise(values);
  }

  public static Meta of(Map<String, String> values) {
    return values.isEmpty() ? EMPTY : new Meta(values);
  }

  /** The value set here (not inherited, not defaulted). */
  public <T> Optional<T> get(AttributeKey<T> key) {
    String v = values.get(key.name());
    return v == null ? Optional.empty() : Optional.of(key.parse(v));
  }

  /** The value set here, else the key's default. */
  public <T> T getOrDefault(AttributeKey<T> key) {
    return get(key).orElseGet(() -> key.parse(key.defaultValue().orElseThrow(
        () -> new IllegalStateException(key.name() + " has no default"))));
  }

  /** This set with {@code child}'s values taking precedence. */
  public Meta overriddenBy(Meta child) {
    if (child.values.isEmpty()) return this;
    if (values.isEmpty()) return child;
    Map<String, String> merged = new LinkedHashMap<>(values);
    merged.putAll(child.values);
    return new Meta(merged);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }
}
