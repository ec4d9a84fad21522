package io.vigil.scheduler.simulate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the ISO 8601 forms crm_simulate's {@code --set-time} accepts: calendar dates
 * ({@code 2014-05-07 00:28:00}, {@code 2014-05-07T00:28:00Z}), ordinal dates ({@code 2005-020T12:30})
 * and week dates ({@code 2005-W03-4T12:30}); times without an offset are UTC.
 */
public final class SimTime {
  private static final Pattern ORDINAL = Pattern.compile("(\\d{4})-?(\\d{3})(?:[T ](.*))?");
  private static final Pattern WEEK = Pattern.compile("(\\d{4})-?W(\\d{2})-?(\\d)(?:[T ](.*))?");
  private static final Pattern CALENDAR = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](.*))?");

  private SimTime() {}

  /** @throws IllegalArgumentException naming the text and the accepted forms */
  public static Instant parse(String text) {
    String t = text.strip();
    try {
      Matcher m = CALENDAR.matcher(t);
      if (m.matches()) {
        LocalDate d = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        return at(d, m.group(4));
      }
      m = WEEK.matcher(t);
      if (m.matches()) {
        LocalDate jan4 = LocalDate.of(Integer.parseInt(m.group(1)), 1, 4);
        LocalDate week1 = jan4.minusDays(jan4.getDayOfWeek().getValue() - 1L);
        LocalDate d = week1.plusWeeks(Integer.parseInt(m.group(2)) - 1L).plusDays(Integer.parseInt(m.group(3)) - 1L);
        return at(d, m.group(4));
      }
      m = ORDINAL.matcher(t);
      if (m.matches()) {
        LocalDate d = LocalDate.ofYearDay(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        return at(d, m.group(3));
      }
    } catch (java.time.DateTimeException | NumberFormatException e) {
      throw bad(text);
    }
    throw bad(text);
  }

  private static Instant at(LocalDate d, String time) {
    if (time == null || time.isBlank()) return d.atStartOfDay().toInstant(ZoneOffset.UTC);
    String tm = time.strip();
    ZoneOffset off = ZoneOffset.UTC;
    Matcher z = Pattern.compile("(.*?)(Z|[+-]\\d{2}(?::?\\d{2})?)$").matcher(tm);
    if (z.matches()) {
      tm = z.group(1);
      off = z.group(2).equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(z.group(2).length() == 3 ? z.group(2) + ":00" : z.group(2));
    }
    if (tm.matches("\\d{2}")) tm = tm + ":00";
    if (tm.matches("\\d{4}")) tm = tm.substring(0, 2) + ":" + tm.substring(2);
    if (tm.matches("\\d{6}")) tm = tm.substring(0, 2) + ":" + tm.substring(2, 4) + ":" + tm.substring(4);
    LocalTime lt = LocalTime.parse(tm);
    return OffsetDateTime.of(LocalDateTime.of(d, lt), off).toInstant();
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException("'" + text + "' is not a time crm_simulate accepts (expected e.g. "
        + "2014-05-07 00:28:00, 2014-05-07T00:28:00Z, 2005-020T12:30 or 2005-W03-4T12:30)");
  }
}
