package io.vigil.agents.balancer.health;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * A change of a real server's health: its state flipped, or a dynamic check set a new weight.
 *
 * @param weight the weight a dynamic check reported, when it did
 * @param detail the result of the probe that caused the change
 */
public record HealthEvent(String serverId, HealthState from, HealthState to, OptionalInt weight, String detail, Instant at) {

  /** Whether the state changed (as opposed to only the weight). */
  public boolean stateChanged() {
    return from != to;
  }
}
