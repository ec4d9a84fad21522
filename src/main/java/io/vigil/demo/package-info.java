/**
 * {@code vigil demo}: a local cluster of real daemons (in network namespaces with a floating IP
 * when possible, on loopback otherwise), a live failover and its measured timeline. Drives the
 * cluster from outside like an operator; depends on cluster (control socket, setup), config and exec.
 */
package io.vigil.demo;
