/**
 * Pure decisions taken when two copies of a volume meet: who syncs from whom, split-brain detection
 * from generation identifiers and the recovery policies. Depends on {@code volume.meta} only; no I/O.
 */
package io.vigil.agents.volume.sync;
