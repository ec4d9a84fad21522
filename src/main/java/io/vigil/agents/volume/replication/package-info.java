/**
 * Peer-to-peer replication link: wire messages and their pure codec, the authenticated encrypted
 * framing (shared key) or mutual TLS, and the Netty connector. Depends on Netty and {@code volume.meta}.
 */
package io.vigil.agents.volume.replication;
