/**
 * IPVS schedulers (ipvsadm(8) semantics), overload thresholds and persistence: pure objects over
 * immutable {@link io.vigil.agents.balancer.sched.RealServer} views. Depends on the JDK only; no I/O, no clock reads.
 */
package io.vigil.agents.balancer.sched;
