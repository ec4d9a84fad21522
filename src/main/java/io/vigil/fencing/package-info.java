/**
 * Fencing: fence devices, per-node topologies, the fencing policy and self-fencing watchdogs.
 * Depends on {@code io.vigil.model} only; I/O lives in {@code .device} and {@code .watchdog}, decisions in
 * {@code .topology} and {@code .policy} are pure.
 */
package io.vigil.fencing;
