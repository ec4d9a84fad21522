package io.vigil.agents.ip;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses operator durations such as {@code 200ms}, {@code 1.5s}, {@code 2m}; a unit is required. */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private Durations() {}

  /** Returns the duration or throws with the offending text and the expected format. */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; expected a number with a unit: 200ms, 1s, 2m, 1h");
    }
    double value = Double.parseDouble(m.group(1));
    double millis =
        switch (m.group(2)) {
          case "ms" -> value;
          case "s" -> value * 1_000;
          case "m" -> value * 60_000;
          default -> value * 3_600_000;
        };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /** Formats for messages: whole milliseconds below one second, else seconds. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 || ms % 1000 != 0 ? ms + "ms" : (ms / 1000) + "s";
  }
}
