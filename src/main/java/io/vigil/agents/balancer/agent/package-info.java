/**
 * {@code builtin:balancer}: virtual services run inside vigild's JVM as cluster resources, their live
 * counters (snapshots, one-line summaries, Prometheus text). Depends on {@code io.vigil.agents.balancer} and {@code io.vigil.exec}.
 */
package io.vigil.agents.balancer.agent;
