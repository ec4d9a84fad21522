/**
 * vigild: state directory, node identity, the Ratis node, enrollment, liveness driver, the self-fencing watchdog, the root-only unix-socket control API and the optional HTTPS REST API (same requests).
 * May depend on every io.vigil.cluster package, io.vigil.fencing (operator fencing, watchdog), io.vigil.exec and io.vigil.agents.ip (what a resource leaves running), io.vigil.config and io.vigil.model; the CLI talks to it only through the socket.
 */
package io.vigil.cluster.daemon;
