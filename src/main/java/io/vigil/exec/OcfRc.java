package io.vigil.exec;

/** OCF exit codes with their standard names, plus Pacemaker's internal code for a timeout. */
public final class OcfRc {
  public static final int SUCCESS = 0;
  public static final int ERR_GENERIC = 1;
  public static final int ERR_ARGS = 2;
  public static final int ERR_UNIMPLEMENTED = 3;
  public static final int ERR_PERM = 4;
  public static final int ERR_INSTALLED = 5;
  public static final int ERR_CONFIGURED = 6;
  public static final int NOT_RUNNING = 7;
  public static final int RUNNING_PROMOTED = 8;
  public static final int FAILED_PROMOTED = 9;
  public static final int DEGRADED = 190;
  public static final int DEGRADED_PROMOTED = 191;
  /** Pacemaker's PCMK_OCF_TIMEOUT: the action did not finish within its timeout. */
  public static final int TIMEOUT = 198;

  private OcfRc() {}

  /** The OCF name of an exit code, e.g. {@code OCF_NOT_RUNNING}, or {@code UNKNOWN(42)}. */
  public static String name(int rc) {
    return switch (rc) {
      case SUCCESS -> "OCF_SUCCESS";
      case ERR_GENERIC -> "OCF_ERR_GENERIC";
      case ERR_ARGS -> "OCF_ERR_ARGS";
      case ERR_UNIMPLEMENTED -> "OCF_ERR_UNIMPLEMENTED";
      case ERR_PERM -> "OCF_ERR_PERM";
      case ERR_INSTALLED -> "OCF_ERR_INSTALLED";
      case ERR_CONFIGURED -> "OCF_ERR_CONFIGURED";
      case NOT_RUNNING -> "OCF_NOT_RUNNING";
      case RUNNING_PROMOTED -> "OCF_RUNNING_PROMOTED";
      case FAILED_PROMOTED -> "OCF_FAILED_PROMOTED";
      case DEGRADED -> "OCF_DEGRADED";
      case DEGRADED_PROMOTED -> "OCF_DEGRADED_PROMOTED";
      case TIMEOUT -> "PCMK_OCF_TIMEOUT";
      default -> "UNKNOWN(" + rc + ")";
    };
  }

  /** A short human description of an exit code. */
  public static String describe(int rc) {
    return switch (rc) {
      case SUCCESS -> "success";
      case ERR_GENERIC -> "generic error";
      case ERR_ARGS -> "invalid parameter";
      case ERR_UNIMPLEMENTED -> "unimplemented action";
      case ERR_PERM -> "insufficient privileges";
      case ERR_INSTALLED -> "not installed";
      case ERR_CONFIGURED -> "not configured";
      case NOT_RUNNING -> "not running";
      case RUNNING_PROMOTED -> "running promoted";
      case FAILED_PROMOTED -> "failed while promoted";
      case DEGRADED -> "running degraded";
      case DEGRADED_PROMOTED -> "promoted degraded";
      case TIMEOUT -> "timed out";
      default -> "unknown exit code";
    };
  }
}
