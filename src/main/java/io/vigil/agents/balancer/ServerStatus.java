package io.vigil.agents.balancer;

import io.vigil.agents.balancer.health.HealthState;

/** Live status of one real server (or the sorry server, pool "sorry") for status and metrics. */
public record ServerStatus(
    String server, String pool, HealthState health, int weight, boolean overloaded,
    int active, int inactive, long connections, long failedConnects, long bytesIn, long bytesOut) {}
