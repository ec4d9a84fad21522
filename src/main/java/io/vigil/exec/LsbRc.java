package io.vigil.exec;

/**
 * Maps LSB init-script exit codes to OCF ones, as Pacemaker does. Non-status actions share the
 * OCF codes 0-7; anything else is a generic error. The status action has its own codes:
 * 0 running; 1 (dead, pid file exists), 2 (dead, lock file exists) and 3 (not running) mean
 * not running; 150/151 are Pacemaker's "not installed"/"insufficient privileges"; the rest
 * (4 "unknown", ...) is an error.
 */
public final class LsbRc {
  private LsbRc() {}

  /** The LSB action Vigil runs for an OCF action name ({@code monitor} is {@code status}). */
  public static String lsbAction(String action) {
    return action.equals("monitor") ? "status" : action;
  }

  public static int toOcf(String lsbAction, int exit) {
    if (!lsbAction.equals("status")) {
      return exit >= 0 && exit <= OcfRc.NOT_RUNNING ? exit : OcfRc.ERR_GENERIC;
    }
    return switch (exit) {
      case 0 -> OcfRc.SUCCESS;
      case 1, 2, 3 -> OcfRc.NOT_RUNNING;
      case 150 -> OcfRc.ERR_INSTALLED;
      case 151 -> OcfRc.ERR_PERM;
      default -> OcfRc.ERR_GENERIC;
    };
  }
}
