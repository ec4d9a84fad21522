package io.vigil.model;

import static io.vigil.model.AttributeKey.bool;
import static io.vigil.model.AttributeKey.choice;
import static io.vigil.model.AttributeKey.duration;
import static io.vigil.model.AttributeKey.durationAtLeast;
import static io.vigil.model.AttributeKey.score;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Cluster-wide options, with Pacemaker's names, meanings and defaults. */
public record ClusterProperties(Map<String, String> values) {
  public static final AttributeKey<Boolean> FENCING_ENABLED = bool("fencing-enabled", true,
      "Fence lost nodes before recovering their resources. Turning it off is unsafe without leases.");
  public static final AttributeKey<String> FENCING_ACTION = choice("fencing-action", "reboot",
      "Action sent to fence devices.", "reboot", "off", "poweroff");
  public static final AttributeKey<Duration> FENCING_TIMEOUT = duration("fencing-timeout", "60s",
      "How long a fencing operation may take.");
  public static final AttributeKey<Duration> FENCING_RETRY_INITIAL = AttributeKey.durationAtLeast("fencing-retry-initial",
      Duration.ofSeconds(1), "5s", "Wait after a failed automatic fencing of a lost node before the next attempt; doubled "
          + "after each further failure up to fencing-retry-max.");
  public static final AttributeKey<Duration> FENCING_RETRY_MAX = AttributeKey.durationAtLeast("fencing-retry-max",
      Duration.ofSeconds(1), "5m", "Longest wait between automatic fencing attempts of a lost node (at least fencing-retry-initial).");
  public static final AttributeKey<Integer> FENCING_MAX_ATTEMPTS = AttributeKey.integer("fencing-max-attempts", 1, "10",
      "Failed automatic fencing attempts of a lost node after which the cluster gives up: its resources stay blocked "
          + "until an operator fences it (vigil fence N) or confirms it is down (vigil fence confirm N --yes), or it returns.");
  public static final AttributeKey<Boolean> SYMMETRIC_CLUSTER = bool("symmetric-cluster", true,
      "true: resources may run anywhere unless constrained (opt-out); false: opt-in.");
  public static final AttributeKey<String> NO_QUORUM_POLICY = choice("no-quorum-policy", "stop",
      "What a partition without quorum does with its resources.", "stop", "freeze", "ignore", "demote", "suicide");
  public static final AttributeKey<Boolean> MAINTENANCE_MODE = bool("maintenance-mode", false,
      "true: the whole cluster is unmanaged; nothing is started, stopped or monitored.");
  public static final AttributeKey<Boolean> STOP_ALL_RESOURCES = bool("stop-all-resources", false,
      "true: every resource is stopped.");
  public static final AttributeKey<Boolean> START_FAILURE_IS_FATAL = bool("start-failure-is-fatal", true,
      "A failed start bans the resource from that node at once.");
  public static final AttributeKey<Boolean> STOP_ORPHAN_RESOURCES = bool("stop-orphan-resources", true,
      "Stop resources that are no longer configured (vigil apply refuses to remove one that is still active: stop it first).");
  public static final AttributeKey<Boolean> STOP_ORPHAN_ACTIONS = bool("stop-orphan-actions", true,
      "Cancel recurring operations that are no longer configured.");
  public static final AttributeKey<String> PLACEMENT_STRATEGY = choice("placement-strategy", "default",
      "How utilization is taken into account.", "default", "utilization", "minimal", "balanced");
  public static final AttributeKey<Duration> CLUSTER_RECHECK_INTERVAL = duration("cluster-recheck-interval", "15m",
      "Accepted for Pacemaker compatibility: vigild re-plans at least every second, so time-based rules and failure timeouts are re-checked more often than this.");
  public static final AttributeKey<Score> DEFAULT_STICKINESS = score("default-resource-stickiness", null,
      "Deprecated: use resource-defaults resource-stickiness.");
  public static final AttributeKey<Boolean> CONCURRENT_FENCING = bool("concurrent-fencing", true,
      "Accepted for Pacemaker compatibility, not used: fencing operations of different nodes always run at once.");
  public static final AttributeKey<Duration> PRIORITY_FENCING_DELAY = duration("priority-fencing-delay", "0s",
      "Accepted for Pacemaker compatibility, not used yet: a two-node split is decided by the fence devices' delays (pcmk_delay_base).");
  public static final AttributeKey<Duration> NODE_TIMEOUT = durationAtLeast("node-timeout", Duration.ofMillis(50), "500ms",
      "A node not heard from for this long is lost. Below 450ms (three Raft heartbeats) the leader also pings every member five times per node-timeout.");
  public static final AttributeKey<String> NODE_HEALTH_STRATEGY = choice("node-health-strategy", "none",
      "How node health attributes affect placement.", "none", "migrate-on-red", "only-green", "progressive", "custom");
  public static final AttributeKey<java.time.Duration> NODE_PENDING_TIMEOUT = duration("node-pending-timeout", "0s",
      "A node that joined the membership but not the cluster for this long is fenced (0 = wait for ever).");
  public static final AttributeKey<Boolean> SHUTDOWN_LOCK = bool("shutdown-lock", false,
      "Accepted for Pacemaker compatibility, not used yet: a cleanly stopped node's resources are recovered elsewhere.");

  public static final KeyRegistry KEYS = new KeyRegistry("cluster property", List.of(
      FENCING_ENABLED, FENCING_ACTION, FENCING_TIMEOUT, FENCING_RETRY_INITIAL, FENCING_RETRY_MAX, FENCING_MAX_ATTEMPTS, SYMMETRIC_CLUSTER, NO_QUORUM_POLICY,
      MAINTENANCE_MODE, STOP_ALL_RESOURCES, START_FAILURE_IS_FATAL, STOP_ORPHAN_RESOURCES,
      STOP_ORPHAN_ACTIONS, PLACEMENT_STRATEGY, CLUSTER_RECHECK_INTERVAL, DEFAULT_STICKINESS,
      CONCURRENT_FENCING, PRIORITY_FENCING_DELAY, NODE_TIMEOUT, NODE_PENDING_TIMEOUT, NODE_HEALTH_STRATEGY, SHUTDOWN_LOCK),
      Map.of("stonith-enabled", "fencing-enabled", "stonith-action", "fencing-action",
          "stonith-timeout", "fencing-timeout", "concurrent-stonith", "concurrent-fencing",
          "stonith-max-attempts", "fencing-max-attempts"));

  public static final ClusterProperties DEFAULTS = new ClusterProperties(Map.of());

  public ClusterProperties {
    values = KEYS.canonicalise(values);
  }

  public <T> Optional<T> get(AttributeKey<T> key) {
    String v = values.get(key.name());
    return v == null ? Optional.empty() : Optional.of(key.parse(v));
  }

  public <T> T getOrDefault(AttributeKey<T> key) {
    return get(key).orElseGet(() -> key.parse(key.defaultValue().orElseThrow()));
  }
}
