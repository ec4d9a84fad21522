package io.vigil.cluster.coordinator;

/** The seam to the fencing engine: fence a node and say whether it is known to be off. */
@FunctionalInterface
public interface Fencer {
  /** Fences {@code node}; returns a human-readable failure, or null on success. Blocks; may take long. */
  String fence(String node, String reason) throws InterruptedException;
}
