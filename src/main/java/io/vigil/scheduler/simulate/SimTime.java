package io.vigil.scheduler.simulate;

import io.vigil.scheduler.IsoTime;
import java.time.Instant;

/**
 * Parses the ISO 8601 forms crm_simulate's {@code --set-time} accepts: calendar dates
 * ({@code 2014-05-07 00:28:00}, {@code 2014-05-07T00:28:00Z}), ordinal dates ({@code 2005-020T12:30})
 * and week dates ({@code 2005-W03-4T12:30}); times without an offset are UTC. The forms are
 * those of the scheduler's date rules ({@link IsoTime}).
 */
public final class SimTime {
  private SimTime() {}

  /** @throws IllegalArgumentException naming the text and the accepted forms */
  public static Instant parse(String text) {
    try {
      return IsoTime.instant(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not a time crm_simulate accepts (expected e.g. "
          + "2014-05-07 00:28:00, 2014-05-07T00:28:00Z, 2005-020T12:30 or 2005-W03-4T12:30)");
    }
  }
}
