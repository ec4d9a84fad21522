/**
 * Recurring monitors and per-resource serialisation of actions: a pure {@link
 * io.vigil.exec.monitor.ResourceLane} decides what runs next, {@link
 * io.vigil.exec.monitor.ActionScheduler} drives it with threads. Depends on io.vigil.exec.
 */
package io.vigil.exec.monitor;
