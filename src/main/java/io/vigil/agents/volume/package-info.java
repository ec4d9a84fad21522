/**
 * Replicated volumes: the engine that keeps one primary and one secondary copy of a block device in
 * step (protocols A/B/C, resync, split-brain handling) and exports the primary over NBD.
 * Depends on {@code volume.meta}, {@code volume.sync}, {@code volume.replication}, {@code volume.nbd}.
 */
package io.vigil.agents.volume;
