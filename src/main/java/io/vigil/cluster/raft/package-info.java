/**
 * Apache Ratis glue: the Raft state machine wrapping the pure state, server/client setup with mutual TLS, config keys.
 * May depend on io.vigil.cluster.state, io.vigil.cluster.security and Ratis; holds no cluster policy itself.
 */
package io.vigil.cluster.raft;
