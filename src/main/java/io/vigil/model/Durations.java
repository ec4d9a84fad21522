package io.vigil.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations as operators write them: {@code 500ms}, {@code 20s}, {@code 5m},
 * {@code 5min}, {@code 1h30m}, ISO 8601 ({@code PT20S}), or a bare integer, which means seconds as
 * in Pacemaker.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d{1,9})?)\\s*(msec|ms|usec|us|sec|s|min|m|hr|h|d)");
  private static final long MAX_SECONDS = 10L * 365 * 24 * 3600;

  private Durations() {}

  /** @throws IllegalArgumentException naming the text and the accepted forms */
  public static Duration parse(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    Duration d;
    if (t.matches("\\d{1,12}")) {
      d = Duration.ofSeconds(Long.parseLong(t));
    } else if (t.startsWith("p")) {
      try {
        d = Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
      } catch (java.time.format.DateTimeParseException e) {
        throw bad(text);
      }
    } else {
      d = parseUnits(t, text);
    }
    if (d.isNegative() || d.getSeconds() > MAX_SECONDS) {
      throw new IllegalArgumentException("duration '" + text + "' is out of range (expected 0 to 10 years)");
    }
    return d;
  }

  private static Duration parseUnits(String t, String original) {
    Matcher m = PART.matcher(t);
    int pos = 0;
    Duration total = Duration.ZERO;
    boolean any = false;
    while (pos < t.length()) {
      if (!m.find(pos) || m.start() != pos || m.group(1).length() > 22) throw bad(original);
      java.math.BigDecimal n = new java.math.BigDecimal(m.group(1));
      long nanosPerUnit = switch (m.group(2)) {
        case "ms", "msec" -> 1_000_000L;
        case "us", "usec" -> 1_000L;
        case "s", "sec" -> 1_000_000_000L;
        case "m", "min" -> 60_000_000_000L;
        case "h", "hr" -> 3_600_000_000_000L;
        default -> 86_400_000_000_000L;
      };
      java.math.BigDecimal nanos = n.multiply(java.math.BigDecimal.valueOf(nanosPerUnit));
      if (nanos.compareTo(java.math.BigDecimal.valueOf(MAX_SECONDS).multiply(java.math.BigDecimal.valueOf(1_000_000_000L))) > 0) {
        throw new IllegalArgumentException("duration '" + original + "' is out of range (expected 0 to 10 years)");
      }
      total = total.plus(Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact()));
      pos = m.end();
      while (pos < t.length() && t.charAt(pos) == ' ') pos++;
      any = true;
    }
    if (!any) throw bad(original);
    return total;
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration (expected e.g. 500ms, 1.5s, 20s, 5m, 1h30m, PT20S, or seconds as an integer)");
  }

  /** The shortest exact spelling: {@code 0s}, {@code 1500ms}, {@code 20s}, {@code 5m}, {@code 1h30m}. */
  public static String format(Duration d) {
    if (d.isZero()) return "0s";
    if (d.toNanosPart() % 1_000_000 != 0 || d.toMillisPart() != 0) {
      if (d.toNanosPart() % 1_000_000 != 0) return d.toString();
      return d.toMillis() + "ms";
    }
    StringBuilder sb = new StringBuilder();
    long days = d.toDays();
    if (days > 0) sb.append(days).append('d');
    if (d.toHoursPart() > 0) sb.append(d.toHoursPart()).append('h');
    if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append('m');
    if (d.toSecondsPart() > 0) sb.append(d.toSecondsPart()).append('s');
    return sb.toString();
  }
}
