package io.vigil.config.cib;

import io.vigil.model.ClusterProperties;
import io.vigil.model.Meta;
import io.vigil.model.OpDefaults;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Converts crm_config cluster properties, rsc_defaults and op_defaults to Vigil's typed keys. */
final class PropertyReader {
  /** Written by Pacemaker itself, not by the operator: dropped silently. */
  private static final Set<String> INTERNAL = Set.of(
      "dc-version", "cluster-infrastructure", "have-watchdog", "last-lrm-refresh", "cluster-name");
  /** Pacemaker daemon tuning that Vigil's design has no use for. */
  private static final Set<String> TUNING = Set.of(
      "batch-limit", "migration-limit", "node-action-limit", "load-threshold", "cluster-delay", "dc-deadtime",
      "election-timeout", "shutdown-escalation", "join-integration-timeout", "join-finalization-timeout",
      "crmd-integration-timeout", "crmd-finalization-timeout", "crmd-transition-delay", "transition-delay",
      "transition-idle-timeout", "transition_timeout", "cluster-ipc-limit", "pe-input-series-max",
      "pe-error-series-max", "pe-warn-series-max", "node-pending-timeout", "enable-startup-probes");
  /** Pacemaker 3 renamed these; Vigil's model still uses the older names. */
  private static final Map<String, String> RENAMED = Map.of(
      "stop-removed-resources", "stop-orphan-resources",
      "cancel-removed-actions", "stop-orphan-actions");

  private final CibContext ctx;
  private final AttributeSets sets;

  PropertyReader(CibContext ctx, AttributeSets sets) {
    this.ctx = ctx;
    this.sets = sets;
  }

  record Result(Optional<String> clusterName, Map<String, String> properties,
      Map<String, String> resourceDefaults, Map<String, String> operationDefaults) {}

  Result convert(Map<String, String> crmConfig, Map<String, String> rscDefaults, Map<String, String> opDefaults) {
    Map<String, String> raw = new LinkedHashMap<>();
    crmConfig.forEach((k, v) -> raw.putIfAbsent(RENAMED.getOrDefault(k, k), v));
    Map<String, String> rscRaw = new LinkedHashMap<>(rscDefaults);
    Map<String, String> opRaw = new LinkedHashMap<>(opDefaults);
    // Pacemaker 1.0 kept these defaults as cluster properties; the defaults sections win.
    moveLegacy(raw, "is-managed-default", rscRaw, "is-managed");
    moveLegacy(raw, "default-action-timeout", opRaw, "timeout");
    Map<String, String> reasons = new HashMap<>();
    INTERNAL.forEach(k -> reasons.put(k, ""));
    TUNING.forEach(k -> reasons.put(k, "Pacemaker daemon tuning with no Vigil equivalent"));
    for (String k : Set.of("node-health-red", "node-health-yellow", "node-health-green", "node-health-base")) {
      reasons.put(k, "node health scores are not supported");
    }
    reasons.put("startup-fencing", "Vigil always fences a node it has never seen before recovering its resources");
    reasons.put("stonith-watchdog-timeout", "watchdog-based fencing (SBD) is configured through Vigil's leases instead");
    reasons.put("fence-reaction", "a node told it was fenced always stops (Vigil has no setting for this)");
    reasons.put("enable-acl", "ACLs are not supported");
    if (isTrue(crmConfig.get("have-watchdog"))) {
      ctx.skip("crm_config property 'have-watchdog'", "the source cluster ran with a watchdog (SBD); Vigil's "
          + "lease and watchdog settings are configured separately");
    }
    Optional<String> name = Optional.ofNullable(crmConfig.get("cluster-name")).filter(s -> !s.isBlank()).map(String::strip);
    Map<String, String> props = sets.typed(raw, ClusterProperties.KEYS, "crm_config", reasons);
    Map<String, String> rsc = sets.typed(rscRaw, Meta.KEYS, "rsc_defaults", Map.of());
    Map<String, String> op = sets.typed(opRaw, OpDefaults.KEYS, "op_defaults", Map.of());
    return new Result(name, props, rsc, op);
  }

  private static boolean isTrue(String v) {
    try {
      return v != null && io.vigil.model.AttributeKey.parseBoolean(v);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void moveLegacy(Map<String, String> from, String legacy, Map<String, String> to, String key) {
    String v = from.remove(legacy);
    if (v == null) return;
    if (to.putIfAbsent(key, v) == null) {
      ctx.adjust("crm_config property '" + legacy + "'", "legacy cluster property written as the default '" + key + "'");
    }
  }
}
