package io.vigil.scheduler;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pacemaker's {@code date_spec}: cron-like fields, each a value {@code N} or a range {@code N-M},
 * {@code N-} or {@code -M}; the spec passes when every given field holds (no field: it passes).
 * Fields are read from "now" in UTC: years, months (1-12), monthdays (1-31), hours, minutes,
 * seconds, yeardays (1-366), weekyears and weeks (ISO 8601 week-based year and week), weekdays
 * (1 = Monday .. 7 = Sunday), and the deprecated moon (0 = new .. 7 = full, NetHack's formula
 * as Pacemaker's; honoured with a warning).
 */
final class DateSpec {
  /** Field names in Pacemaker's order of checking. */
  static final List<String> FIELDS = List.of("years", "months", "monthdays", "hours", "minutes", "seconds",
      "yeardays", "weekyears", "weeks", "weekdays", "moon");
  /** Bound on the forward search for the next change (steps of the finest given field). */
  private static final int MAX_STEPS = 2000;

  private record Range(long low, long high) {
    boolean contains(long v) {
      return (low == -1 || v >= low) && (high == -1 || v <= high);
    }
  }

  private DateSpec() {}

  static DateRules.Outcome evaluate(String id, Map<String, String> spec, Instant now) {
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, Range> ranges = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : spec.entrySet()) {
      if (f.getKey().equals("id")) continue;
      if (!FIELDS.contains(f.getKey())) {
        problems.add("invalid date expression '" + id + "': date-spec field '" + f.getKey() + "' (expected one of "
            + String.join(", ", FIELDS) + ")");
        continue;
      }
      Optional<Range> r = range(f.getValue());
      if (r.isEmpty()) {
        problems.add("invalid date expression '" + id + "': date-spec " + f.getKey() + "='" + f.getValue()
            + "' is not a value or range (expected e.g. 9, 9-17, 9- or -17)");
        continue;
      }
      ranges.put(f.getKey(), r.get());
    }
    if (ranges.containsKey("moon")) {
      warnings.add("date expression '" + id + "': date-spec field 'moon' is deprecated (Pacemaker 2.1.6) and will be "
          + "removed; use other fields");
    }
    if (!problems.isEmpty()) return new DateRules.Outcome(false, Optional.empty(), problems, warnings);
    boolean now0 = holds(ranges, now);
    Optional<Instant> next = Optional.empty();
    Optional<String> finest = FINEST_FIRST.stream().filter(ranges::containsKey).findFirst();
    if (finest.isPresent()) {
      Instant t = now;
      for (int i = 0; i < MAX_STEPS; i++) {
        t = nextPeriod(finest.get(), t);
        if (holds(ranges, t) != now0) break;
      }
      next = Optional.of(t);
    }
    return new DateRules.Outcome(now0, next, List.of(), warnings);
  }

  /** Fields from the shortest period to the longest: within one period of the first given field nothing changes. */
  private static final List<String> FINEST_FIRST = List.of("seconds", "minutes", "hours", "monthdays", "yeardays",
      "weekdays", "moon", "weeks", "weekyears", "months", "years");

  private static Instant nextPeriod(String field, Instant t) {
    LocalDateTime u = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    LocalDateTime n = switch (field) {
      case "seconds" -> u.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      case "minutes" -> u.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      case "hours" -> u.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      case "weeks", "weekyears" -> u.toLocalDate().with(TemporalAdjusters.next(DayOfWeek.MONDAY)).atStartOfDay();
      case "months" -> u.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
      case "years" -> LocalDate.of(u.getYear() + 1, 1, 1).atStartOfDay();
      default -> u.toLocalDate().plusDays(1).atStartOfDay();
    };
    return n.toInstant(ZoneOffset.UTC);
  }

  private static boolean holds(Map<String, Range> ranges, Instant now) {
    LocalDateTime u = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
    for (Map.Entry<String, Range> e : ranges.entrySet()) {
      long v = switch (e.getKey()) {
        case "years" -> u.getYear();
        case "months" -> u.getMonthValue();
        case "monthdays" -> u.getDayOfMonth();
        case "hours" -> u.getHour();
        case "minutes" -> u.getMinute();
        case "seconds" -> u.getSecond();
        case "yeardays" -> u.getDayOfYear();
        case "weekyears" -> u.get(IsoFields.WEEK_BASED_YEAR);
        case "weeks" -> u.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        case "weekdays" -> u.getDayOfWeek().getValue();
        default -> moonPhase(u.toLocalDate());
      };
      if (!e.getValue().contains(v)) return false;
    }
    return true;
  }

  /** Pacemaker's (NetHack's) phase of the moon: 0 new .. 4 full .. 7, from the year and day of the year. */
  static int moonPhase(LocalDate d) {
    int diy = d.getDayOfYear();
    int goldn = (d.getYear() % 19) + 1;
    int epact = (11 * goldn + 18) % 30;
    if ((epact == 25 && goldn > 11) || epact == 24) epact++;
    return ((((diy + epact) * 6) + 11) % 177) / 22 & 7;
  }

  /** Pacemaker's pcmk__parse_ll_range: "N", "N-M", "N-" or "-M" (-1 means open). */
  static Optional<Range> range(String text) {
    String t = text.strip();
    try {
      if (t.matches("\\d+")) {
        long v = Long.parseLong(t);
        return Optional.of(new Range(v, v));
      }
      if (t.matches("\\d+-\\d+")) {
        String[] p = t.split("-");
        return Optional.of(new Range(Long.parseLong(p[0]), Long.parseLong(p[1])));
      }
      if (t.matches("\\d+-")) return Optional.of(new Range(Long.parseLong(t.substring(0, t.length() - 1)), -1));
      if (t.matches("-\\d+")) return Optional.of(new Range(-1, Long.parseLong(t.substring(1))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
