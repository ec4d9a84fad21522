package io.vigil.scheduler;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ISO 8601 date/time forms Pacemaker reads (crm_time_new): calendar ({@code 2014-05-07
 * 00:28:00}, {@code 20140507T002800Z}), ordinal ({@code 2005-020T12:30}) and week dates
 * ({@code 2005-W03-4}), with {@code T} or a space before the time and an optional offset
 * ({@code Z}, {@code +02:00}, {@code +0200}, {@code +02}, also after a space as crm_resource
 * writes it). A time without an offset is UTC (Pacemaker uses the host's zone; Vigil's scheduler
 * reads no host state). Precision is one second, as Pacemaker's.
 */
public final class IsoTime {
  private static final Pattern CALENDAR = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](.*))?");
  private static final Pattern CALENDAR_BASIC = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})(?:[T ](.*))?");
  private static final Pattern WEEK = Pattern.compile("(\\d{4})-?W(\\d{2})-?([1-7])(?:[T ](.*))?");
  private static final Pattern ORDINAL = Pattern.compile("(\\d{4})-?(\\d{3})(?:[T ](.*))?");
  private static final Pattern ZONE = Pattern.compile("(.*?)\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)");
  private static final Pattern TIME = Pattern.compile("(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,]\\d+)?)?)?");

  private IsoTime() {}

  /**
   * Parses {@code text} keeping its offset (durations are added in it, as Pacemaker does).
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static OffsetDateTime parse(String text) {
    String t = text == null ? "" : text.strip();
    try {
      Matcher m = CALENDAR.matcher(t);
      if (!m.matches()) m = CALENDAR_BASIC.matcher(t);
      if (m.matches()) {
        return at(LocalDate.of(num(m, 1), num(m, 2), num(m, 3)), m.group(4), text);
      }
      m = WEEK.matcher(t);
      if (m.matches()) {
        int year = num(m, 1);
        int week = num(m, 2);
        LocalDate jan4 = LocalDate.of(year, 1, 4);
        LocalDate week1 = jan4.minusDays(jan4.getDayOfWeek().getValue() - 1L);
        LocalDate d = week1.plusWeeks(week - 1L).plusDays(num(m, 3) - 1L);
        if (week < 1 || week > weeksIn(year)) throw bad(text);
        return at(d, m.group(4), text);
      }
      m = ORDINAL.matcher(t);
      if (m.matches()) {
        return at(LocalDate.ofYearDay(num(m, 1), num(m, 2)), m.group(3), text);
      }
    } catch (DateTimeException | NumberFormatException e) {
      throw bad(text);
    }
    throw bad(text);
  }

  /** Parses {@code text} as an instant (see {@link #parse}). */
  public static java.time.Instant instant(String text) {
    return parse(text).toInstant();
  }

  /** ISO weeks in a week-based year (52 or 53). */
  static int weeksIn(int year) {
    LocalDate dec28 = LocalDate.of(year, 12, 28);
    return dec28.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR);
  }

  private static int num(Matcher m, int group) {
    return Integer.parseInt(m.group(group));
  }

  private static OffsetDateTime at(LocalDate d, String time, String text) {
    if (time == null || time.isBlank()) return OffsetDateTime.of(d.atStartOfDay(), ZoneOffset.UTC);
    String tm = time.strip();
    ZoneOffset off = ZoneOffset.UTC;
    Matcher z = ZONE.matcher(tm);
    if (z.matches() && !z.group(1).isEmpty()) {
      tm = z.group(1);
      off = offset(z.group(2));
    }
    Matcher t = TIME.matcher(tm);
    if (!t.matches()) throw bad(text);
    int h = Integer.parseInt(t.group(1));
    int mi = t.group(2) == null ? 0 : Integer.parseInt(t.group(2));
    int s = t.group(3) == null ? 0 : Integer.parseInt(t.group(3));
    LocalDateTime ldt = h == 24 && mi == 0 && s == 0
        ? d.plusDays(1).atStartOfDay()
        : LocalDateTime.of(d, LocalTime.of(h, mi, s));
    return OffsetDateTime.of(ldt, off).truncatedTo(ChronoUnit.SECONDS);
  }

  private static ZoneOffset offset(String z) {
    if (z.equals("Z")) return ZoneOffset.UTC;
    String digits = z.substring(1).replace(":", "");
    int h = Integer.parseInt(digits.substring(0, 2));
    int m = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
    return z.charAt(0) == '-' ? ZoneOffset.ofHoursMinutes(-h, -m) : ZoneOffset.ofHoursMinutes(h, m);
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException("'" + text + "' is not an ISO 8601 date/time (expected e.g. "
        + "2014-05-07 00:28:00, 2014-05-07T00:28:00Z, 2014-05-07T02:28:00+02:00, 2005-020T12:30 or 2005-W03-4T12:30)");
  }
}
