/**
 * Replicated volumes: the engine that keeps one primary and one secondary copy of a block device in
 * step (protocols A/B/C, resync, split-brain handling) and exports the primary over NBD.
 * Depends on {@code volume.meta}, {@code volume.sync}, {@code volume.replication}, {@code volume.nbd}, Netty and
 * picocli (the serve process entry point, {@code VolumeServeMain}) and Jackson ({@code ClusterPeerFencer} speaks vigild's
 * control-socket protocol); never on io.vigil.cli or io.vigil.cluster.
 */
package io.vigil.agents.volume;
