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

  /** The rc of an operation claimed and not reported yet (Pacemaker's PCMK_OCF_UNKNOWN for pending ops). */
  public static final int RC_PENDING = 193;

  /**
   * What the state records when a node claims a start, stop, promotion, demotion or migration:
   * until its result replaces this record, the operation may or may not have happened. A node
   * lost meanwhile is taken to run the resource (Pacemaker's record-pending), so it is not
   * started elsewhere before that node is fenced or its lease is over.
   */
  public static OpResult pending(String resource, String node, String operation, long startedMillis) {
    return new OpResult(resource, node, operation, 0, RC_PENDING, 0, startedMillis, 0, false, "pending");
  }

  /** Whether this is a claimed operation's placeholder ({@link #pending}), not a result. */
  public boolean pending() {
    return rc == RC_PENDING && callId == 0;
  }

  /** The key under which the state keeps only the newest result: resource/node/operation/interval. */
  public String key() {
    return resource + "/" + node + "/" + operation + "/" + intervalMillis;
  }
}
