/**
 * Fencing topology: which devices fence a node, level by level, the coverage check, the executor that
 * runs levels against devices, and the history of every attempt. Depends on {@code io.vigil.fencing}, its {@code .device} protocol helpers and model.
 */
package io.vigil.fencing.topology;
