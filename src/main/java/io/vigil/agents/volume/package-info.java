/**
 * Replicated volumes: the engine that keeps one primary and one secondary copy of a block device in
 * step (protocols A/B/C, resync, split-brain handling) and exports the primary over NBD.
 * Depends on {@code volume.meta}, {@code volume.sync}, {@code volume.replication}, {@code volume.nbd}, Netty and
 * picocli (the serve process entry point, {@code VolumeServeMain}), and for fencing the peer ({@code ClusterPeerFencer})
 * on vigild's control client (io.vigil.cluster.daemon.ControlClient) and io.vigil.status's attribute names; never on io.vigil.cli.
 */
package io.vigil.agents.volume;
