package io.vigil.exec;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pacemaker-style durations: "20", "20s", "100ms", "2m", "2min", "1h", or ISO-8601 "PT20S". */
public final class Durations {
  private static final Pattern SPEC = Pattern.compile("\\s*(\\d{1,12})\\s*(ms|msec|s|sec|m|min|h|hr)?\\s*");

  private Durations() {}

  /** Parses a duration; a bare number means seconds, as in Pacemaker. */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing duration: expected e.g. 20s, 100ms, 2min");
    }
    String t = text.toLowerCase(Locale.ROOT);
    if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad duration '" + text + "': expected e.g. 20s, 100ms, 2min or PT20S");
      }
    }
    Matcher m = SPEC.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("bad duration '" + text + "': expected e.g. 20s, 100ms, 2min or PT20S");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms", "msec" -> Duration.ofMillis(n);
      case "m", "min" -> Duration.ofMinutes(n);
      case "h", "hr" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /** Formats compactly: 20s, 100ms, 2min. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms > 0) {
      return (ms / 60_000) + "min";
    }
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
