package io.vigil.agents.balancer.health;

import java.util.OptionalInt;

/**
 * Outcome of one probe.
 *
 * @param healthy whether the check passed
 * @param weight a new weight reported by a dynamic script check (keepalived misc_dynamic)
 * @param detail why, for events and status ("HTTP 503, expected 200-299")
 */
public record CheckResult(boolean healthy, OptionalInt weight, String detail) {

  public static CheckResult ok(String detail) {
    return new CheckResult(true, OptionalInt.empty(), detail);
  }

  public static CheckResult failed(String detail) {
    return new CheckResult(false, OptionalInt.empty(), detail);
  }
}
