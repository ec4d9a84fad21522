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
  /** {@link Durations}' upper bound (10 years); larger values go to it for its message. */
  private static final long MAX_PLAIN_SECONDS = 10L * 365 * 24 * 3600;

  private PacemakerDurations() {}

  /** @throws IllegalArgumentException with {@link Durations#parse}'s message when neither form fits */
  static Duration parse(String text) {
    Duration plain = plain(text);
    if (plain != null) return plain;
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

  /**
   * Seconds up to 10 years ({@code 20}, {@code 20s}) or milliseconds ({@code 500ms}), as nearly every
   * CIB writes them, without {@link Durations#parse}'s regular expressions (a CIB has several per
   * resource and a simulation runs cold); null for anything else, which {@link Durations#parse} reads.
   */
  static Duration plain(String text) {
    int n = text.length();
    int digits = 0;
    long value = 0;
    while (digits < n && digits < 9 && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
      value = value * 10 + (text.charAt(digits) - '0');
      digits++;
    }
    if (digits == 0) return null;
    String unit = text.substring(digits);
    if (unit.equals("ms")) return Duration.ofMillis(value);
    if (!unit.isEmpty() && !unit.equals("s")) return null;
    return value <= MAX_PLAIN_SECONDS ? Duration.ofSeconds(value) : null;
  }
}
