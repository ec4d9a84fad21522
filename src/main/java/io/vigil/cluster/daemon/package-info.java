/**
 * vigild: state directory, node identity, the Ratis node, enrollment, liveness driver and the root-only unix-socket control API.
 * May depend on every io.vigil.cluster package, io.vigil.config and io.vigil.model; the CLI talks to it only through the socket.
 */
package io.vigil.cluster.daemon;
