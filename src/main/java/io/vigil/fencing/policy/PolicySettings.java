package io.vigil.fencing.policy;

import io.vigil.fencing.FenceAction;
import io.vigil.model.ClusterProperties;
import java.time.Duration;

/**
 * The policy's settings: the cluster properties it uses (fencing-enabled, -action, -timeout,
 * -retry-initial, -retry-max) plus the lease settings, which are not cluster properties (defaults in
 * {@link #DEFAULTS}; the runtime trusts a lease only with fencing disabled).
 *
 * @param trustLeases treat a lost node as fenced once its lease plus {@code leaseMargin} has passed
 * @param retryBase first wait after a failed fencing operation; doubled after each further failure up to {@code retryMax}
 */
public record PolicySettings(boolean fencingEnabled, FenceAction action, Duration timeout, boolean trustLeases,
    Duration lease, Duration leaseMargin, Duration retryBase, Duration retryMax) {

  public static final PolicySettings DEFAULTS = new PolicySettings(true, FenceAction.REBOOT, Duration.ofSeconds(60),
      false, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(5));

  public PolicySettings {
    if (!action.isFencing() || action == FenceAction.ON) throw new IllegalArgumentException("fencing action must be reboot or off");
    if (retryBase.isNegative() || retryBase.isZero()) throw new IllegalArgumentException("retry base must be positive");
    if (retryMax.compareTo(retryBase) < 0) throw new IllegalArgumentException("retry max " + retryMax + " is below base " + retryBase);
    if (lease.isNegative() || leaseMargin.isNegative()) throw new IllegalArgumentException("lease and margin must not be negative");
  }

  /**
   * Settings from the cluster properties (fencing-enabled, -action, -timeout, -retry-initial, -retry-max),
   * the lease settings default. A retry cap below its start (refused at apply time) is raised to the start.
   */
  public static PolicySettings from(ClusterProperties p) {
    FenceAction a = FenceAction.parse(p.getOrDefault(ClusterProperties.FENCING_ACTION)).orElse(FenceAction.REBOOT);
    Duration base = p.getOrDefault(ClusterProperties.FENCING_RETRY_INITIAL);
    Duration max = p.getOrDefault(ClusterProperties.FENCING_RETRY_MAX);
    return new PolicySettings(p.getOrDefault(ClusterProperties.FENCING_ENABLED), a,
        p.getOrDefault(ClusterProperties.FENCING_TIMEOUT), DEFAULTS.trustLeases, DEFAULTS.lease, DEFAULTS.leaseMargin,
        base, max.compareTo(base) < 0 ? base : max);
  }

  public PolicySettings withLeases(boolean trust, Duration leaseLength, Duration margin) {
    return new PolicySettings(fencingEnabled, action, timeout, trust, leaseLength, margin, retryBase, retryMax);
  }

  /** Wait after the {@code failures}-th consecutive failure: base * 2^(failures-1), capped at max. */
  public Duration backoff(int failures) {
    if (failures <= 0) return Duration.ZERO;
    Duration d = retryBase;
    for (int i = 1; i < failures && d.compareTo(retryMax) < 0; i++) d = d.multipliedBy(2);
    return d.compareTo(retryMax) > 0 ? retryMax : d;
  }
}
