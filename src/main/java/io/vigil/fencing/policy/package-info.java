/**
 * Fencing policy, pure: whether and when to fence (quorum, pauses, maintenance, backoff, leases) and whether a
 * lost node's resources may be recovered. No I/O, no clock reads: time is a parameter. Depends on {@code io.vigil.fencing}.
 */
package io.vigil.fencing.policy;
