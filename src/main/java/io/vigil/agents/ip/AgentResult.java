package io.vigil.agents.ip;

/**
 * Outcome of a start/stop/monitor action in OCF terms: an OCF return code and a one-line message
 * for status and history. The executor wraps these into its own agent interface.
 */
public record AgentResult(int rc, String message) {
  public static final int OCF_SUCCESS = 0;
  public static final int OCF_ERR_GENERIC = 1;
  public static final int OCF_ERR_ARGS = 2;
  public static final int OCF_ERR_UNIMPLEMENTED = 3;
  public static final int OCF_ERR_PERM = 4;
  public static final int OCF_ERR_INSTALLED = 5;
  public static final int OCF_ERR_CONFIGURED = 6;
  public static final int OCF_NOT_RUNNING = 7;

  public AgentResult {
    if (rc < 0 || rc > 255) {
      throw new IllegalArgumentException("OCF return code " + rc + " out of range 0..255");
    }
    message = message == null ? "" : message;
  }

  public static AgentResult success(String message) {
    return new AgentResult(OCF_SUCCESS, message);
  }

  public static AgentResult notRunning(String message) {
    return new AgentResult(OCF_NOT_RUNNING, message);
  }

  public static AgentResult failed(int rc, String message) {
    return new AgentResult(rc, message);
  }

  /** True for {@link #OCF_SUCCESS}. */
  public boolean isSuccess() {
    return rc == OCF_SUCCESS;
  }

  @Override
  public String toString() {
    return "rc=" + rc + " " + message;
  }
}
