package io.vigil.status;

import java.util.Objects;
import java.util.Optional;

/**
 * One recorded result of a resource operation on a node, as Pacemaker's {@code lrm_rsc_op}.
 *
 * @param id the history key, e.g. {@code db_monitor_10000} or {@code db_last_failure_0}
 * @param operation start, stop, monitor, promote, demote, migrate_to, migrate_from, notify, ...
 * @param intervalMs 0 for one-shot operations, the period of recurring monitors otherwise
 * @param rc the agent's exit code (OCF: 0 ok, 7 not running, 8 running promoted, ...)
 * @param opStatus execution status (0 done, -1 pending, 1 cancelled, 2 timeout, 4 error, ...)
 * @param callId the executor's call counter on that node; orders the history
 * @param expectedRc the result the scheduler expected (from the transition key), -1 if unknown
 * @param lastRcChange when the result last changed, if recorded
 * @param migrateSource for migrate_to/migrate_from: the source node, if recorded
 * @param migrateTarget for migrate_to/migrate_from: the target node, if recorded
 */
public record OpRecord(
    String id,
    String operation,
    long intervalMs,
    int rc,
    int opStatus,
    int callId,
    int expectedRc,
    Optional<java.time.Instant> lastRcChange,
    long execTimeMs,
    Optional<String> migrateSource,
    Optional<String> migrateTarget) {

  public static final int EXEC_PENDING = -1;
  public static final int EXEC_DONE = 0;
  public static final int EXEC_CANCELLED = 1;
  public static final int EXEC_TIMEOUT = 2;
  public static final int EXEC_NOT_SUPPORTED = 3;
  public static final int EXEC_ERROR = 4;
  public static final int EXEC_ERROR_HARD = 5;
  public static final int EXEC_ERROR_FATAL = 6;
  public static final int EXEC_NOT_INSTALLED = 7;

  public OpRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(lastRcChange, "lastRcChange");
    Objects.requireNonNull(migrateSource, "migrateSource");
    Objects.requireNonNull(migrateTarget, "migrateTarget");
    if (intervalMs < 0) throw new IllegalArgumentException("operation '" + id + "': negative interval " + intervalMs);
  }

  /** A completed operation with only the essentials (for tests and what-if events). */
  public static OpRecord of(String id, String operation, long intervalMs, int rc, int callId, int expectedRc) {
    return new OpRecord(id, operation, intervalMs, rc, EXEC_DONE, callId, expectedRc, Optional.empty(), 0,
        Optional.empty(), Optional.empty());
  }

  /** A probe is a one-shot monitor: it finds out whether the resource runs there. */
  public boolean isProbe() {
    return operation.equals("monitor") && intervalMs == 0;
  }

  public boolean isRecurring() {
    return intervalMs > 0;
  }

  /** Pacemaker's operation key without the node: {@code rsc_monitor_10000}. */
  public String key(String resourceId) {
    return resourceId + "_" + operation + "_" + intervalMs;
  }
}
