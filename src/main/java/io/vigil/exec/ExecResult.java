package io.vigil.exec;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one invocation: OCF rc, execution status, classification, when it started,
 * how long it took, the tail of its combined stdout/stderr, and the agent's exit reason
 * (the last {@code ocf-exit-reason:} line, as Pacemaker extracts it), if any.
 */
public record ExecResult(
    Invocation invocation,
    int rc,
    ExecStatus status,
    Instant started,
    Duration duration,
    String output,
    boolean outputTruncated,
    String detail) {

  public ExecResult {
    Objects.requireNonNull(invocation, "invocation");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(duration, "duration");
    output = output == null ? "" : output;
    detail = detail == null ? "" : detail;
  }

  /** The classification as Pacemaker would treat this result. */
  public Classification classification() {
    return Classification.of(rc, status);
  }

  /** OCF name of the rc, e.g. {@code OCF_SUCCESS}. */
  public String rcName() {
    return OcfRc.name(rc);
  }

  /** The last {@code ocf-exit-reason:} message in the output (max 128 chars), or "". */
  public String exitReason() {
    String prefix = "ocf-exit-reason:";
    int at = output.lastIndexOf(prefix);
    if (at < 0) {
      return "";
    }
    int start = at + prefix.length();
    int end = output.indexOf('\n', start);
    String reason = output.substring(start, end < 0 ? output.length() : end).strip();
    return reason.length() > 128 ? reason.substring(0, 128) : reason;
  }

  /** One line: "monitor of web (ocf:heartbeat:Dummy): rc=7 OCF_NOT_RUNNING [not running] 12 ms". */
  public String summary() {
    return invocation.action() + " of " + invocation.resourceId() + " (" + invocation.agent() + "): rc="
        + rc + " " + rcName() + " [" + classification().label() + "] " + duration.toMillis() + " ms"
        + (detail.isEmpty() ? "" : ": " + detail);
  }
}
