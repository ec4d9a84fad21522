package io.vigil.cluster.state;

import java.util.Objects;

/**
 * The last result of one operation of a resource on a node (the CIB's lrm_rsc_op).
 *
 * @param intervalMillis 0 for one-shot operations, the monitor interval otherwise
 * @param callId the executor's call id, increasing per node
 * @param failed whether the executor judged the rc a failure (it knows the expected rc)
 */
public record OpResult(
    String resource, String node, String operation, long intervalMillis, int rc, long callId,
    long startedMillis, long durationMillis, boolean failed, String output) {
  public OpResult {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(operation, "operation");
    if (intervalMillis < 0) throw new IllegalArgumentException("operation interval " + intervalMillis + " is negative");
    if (durationMillis < 0) throw new IllegalArgumentException("operation duration " + durationMillis + " is negative");
    output = Sorted.text(output);
    if (output.length() > 1024) output = output.substring(0, 1024);
  }

  /** The key under which the state keeps only the newest result: resource/node/operation/interval. */
  public String key() {
    return resource + "/" + node + "/" + operation + "/" + intervalMillis;
  }
}
