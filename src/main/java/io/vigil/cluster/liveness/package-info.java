/**
 * Pure liveness logic over an injected monotonic time: node timeouts, quorum, local leases, two-node mode.
 * Depends on nothing but the JDK; drivers (the daemon) feed it observations and act on its decisions.
 */
package io.vigil.cluster.liveness;
