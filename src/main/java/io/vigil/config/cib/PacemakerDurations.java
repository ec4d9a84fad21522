package io.vigil.config.cib;

import io.vigil.model.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Pacemaker reads them: everything {@link Durations} accepts, plus ISO 8601 forms
 * Pacemaker tolerates without the {@code T} separator, such as {@code P10S} (ten seconds).
 */
final class PacemakerDurations {
  private static final Pattern LENIENT = Pattern.compile("P((?:\\d+[WDHS])+)");
  private static final Pattern PART = Pattern.compile("(\\d+)([WDHS])");

  private PacemakerDurations() {}

  /** @throws IllegalArgumentException with {@link Durations#parse}'s message when neither form fits */
  static Duration parse(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      Matcher m = LENIENT.matcher(text.strip().toUpperCase(Locale.ROOT));
      if (!m.matches()) throw e;
      Duration total = Duration.ZERO;
      Matcher part = PART.matcher(m.group(1));
      while (part.find()) {
        long n = Long.parseLong(part.group(1));
        if (n > 1_000_000) throw e;
        total = total.plus(switch (part.group(2)) {
          case "W" -> Duration.ofDays(7 * n);
          case "D" -> Duration.ofDays(n);
          case "H" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        });
      }
      return Durations.parse(Durations.format(total));
    }
  }
}
