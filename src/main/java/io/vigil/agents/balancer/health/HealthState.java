package io.vigil.agents.balancer.health;

/** Whether a real server may receive new connections according to its checks. */
public enum HealthState {
  UP,
  DOWN
}
