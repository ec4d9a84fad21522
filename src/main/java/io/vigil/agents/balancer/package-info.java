/**
 * Built-in resource type {@code balancer}: a layer-4 virtual service (configuration, validation,
 * the engine that joins schedulers, health and persistence, and its runtime). Depends on its
 * sub-packages {@code sched}, {@code health}, {@code proxy}, {@code ipvs}, Netty and snakeyaml-engine.
 */
package io.vigil.agents.balancer;
