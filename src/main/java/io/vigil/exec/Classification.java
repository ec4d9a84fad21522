package io.vigil.exec;

/**
 * What a result means to the cluster, as Pacemaker treats it.
 *
 * <table>
 *   <caption>rc / status to classification</caption>
 *   <tr><td>0, 8</td><td>OK (8 = running promoted)</td></tr>
 *   <tr><td>7</td><td>NOT_RUNNING</td></tr>
 *   <tr><td>190, 191</td><td>DEGRADED (running, but reported degraded)</td></tr>
 *   <tr><td>1, 9, other codes</td><td>SOFT_ERROR (recover on the same node)</td></tr>
 *   <tr><td>2, 3, 4, 5</td><td>HARD_ERROR (the resource may not run on this node)</td></tr>
 *   <tr><td>6</td><td>FATAL_ERROR (the configuration is wrong: may not run anywhere)</td></tr>
 *   <tr><td>status TIMED_OUT</td><td>TIMED_OUT</td></tr>
 *   <tr><td>status NOT_INSTALLED</td><td>NOT_INSTALLED (hard, for this node)</td></tr>
 *   <tr><td>status CANCELLED</td><td>CANCELLED</td></tr>
 * </table>
 */
public enum Classification {
  OK,
  NOT_RUNNING,
  DEGRADED,
  SOFT_ERROR,
  HARD_ERROR,
  FATAL_ERROR,
  TIMED_OUT,
  NOT_INSTALLED,
  CANCELLED;

  /** Classifies an rc together with the execution status. */
  public static Classification of(int rc, ExecStatus status) {
    return switch (status) {
      case TIMED_OUT -> TIMED_OUT;
      case NOT_INSTALLED -> NOT_INSTALLED;
      case CANCELLED -> CANCELLED;
      case ERROR -> rc >= 2 && rc <= 6 ? ofRc(rc) : SOFT_ERROR;
      case DONE -> ofRc(rc);
    };
  }

  private static Classification ofRc(int rc) {
    return switch (rc) {
      case OcfRc.SUCCESS, OcfRc.RUNNING_PROMOTED -> OK;
      case OcfRc.NOT_RUNNING -> NOT_RUNNING;
      case OcfRc.DEGRADED, OcfRc.DEGRADED_PROMOTED -> DEGRADED;
      case OcfRc.ERR_ARGS, OcfRc.ERR_UNIMPLEMENTED, OcfRc.ERR_PERM, OcfRc.ERR_INSTALLED -> HARD_ERROR;
      case OcfRc.ERR_CONFIGURED -> FATAL_ERROR;
      default -> SOFT_ERROR;
    };
  }

  /** Human text for tables and logs, e.g. "hard error". */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
