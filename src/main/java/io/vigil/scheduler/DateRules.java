package io.vigil.scheduler;

import io.vigil.model.DateExpression;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a date expression against an injected "now" with Pacemaker's semantics
 * (lib/common/rules.c): {@code in_range} passes for start &lt;= now &lt;= end (end defaults to
 * start plus the duration), {@code gt} for now &gt; start, {@code lt} for now &lt; end, and
 * {@code date_spec} when every given field's range holds (see {@link DateSpec}). Comparisons are
 * to the second. It also tells when the result can next change, so a caller can re-run then.
 * Unlike Pacemaker 2.1, an unparsable value makes the expression fail and is reported (the
 * behaviour Pacemaker announces for its next compatibility break), never silently ignored.
 */
public final class DateRules {
  /** Duration fields in the order Pacemaker adds them. */
  public static final List<String> DURATION_FIELDS =
      List.of("years", "months", "weeks", "days", "hours", "minutes", "seconds");

  private DateRules() {}

  /**
   * The result of one evaluation.
   *
   * @param matches whether the expression passes at "now"
   * @param nextChange the earliest instant after "now" at which the result may differ, if any
   * @param problems invalid values (the expression then does not match)
   * @param warnings deprecated but honoured features
   */
  public record Outcome(boolean matches, Optional<Instant> nextChange, List<String> problems, List<String> warnings) {
    public Outcome {
      problems = List.copyOf(problems);
      warnings = List.copyOf(warnings);
    }

    static Outcome of(boolean matches, Instant next) {
      return new Outcome(matches, Optional.ofNullable(next), List.of(), List.of());
    }

    static Outcome invalid(String problem) {
      return new Outcome(false, Optional.empty(), List.of(problem), List.of());
    }
  }

  /** Evaluates {@code e} at {@code now} (truncated to the second). */
  public static Outcome evaluate(DateExpression e, Instant now) {
    Instant t = now.truncatedTo(ChronoUnit.SECONDS);
    return switch (e.operation()) {
      case "gt" -> gt(e, t);
      case "lt" -> lt(e, t);
      case "date_spec" -> DateSpec.evaluate(e.id(), e.dateSpec(), t);
      default -> inRange(e, t);
    };
  }

  private static Outcome gt(DateExpression e, Instant now) {
    if (e.start().isEmpty()) return Outcome.invalid(where(e) + ": operation gt needs 'start'");
    Optional<Instant> start = time(e.start().get());
    if (start.isEmpty()) return Outcome.invalid(badTime(e, "start", e.start().get()));
    if (now.isAfter(start.get())) return Outcome.of(true, null);
    return Outcome.of(false, start.get().plusSeconds(1));
  }

  private static Outcome lt(DateExpression e, Instant now) {
    if (e.end().isEmpty()) return Outcome.invalid(where(e) + ": operation lt needs 'end'");
    Optional<Instant> end = time(e.end().get());
    if (end.isEmpty()) return Outcome.invalid(badTime(e, "end", e.end().get()));
    if (now.isBefore(end.get())) return Outcome.of(true, end.get());
    return Outcome.of(false, null);
  }

  private static Outcome inRange(DateExpression e, Instant now) {
    if (e.start().isEmpty() && e.end().isEmpty()) {
      return Outcome.invalid(where(e) + ": in_range needs 'start' or 'end'");
    }
    Optional<OffsetDateTime> start = Optional.empty();
    if (e.start().isPresent()) {
      start = parse(e.start().get());
      if (start.isEmpty()) return Outcome.invalid(badTime(e, "start", e.start().get()));
    }
    Optional<Instant> end = Optional.empty();
    if (e.end().isPresent()) {
      end = time(e.end().get());
      if (end.isEmpty()) return Outcome.invalid(badTime(e, "end", e.end().get()));
    } else if (!e.duration().isEmpty() && start.isPresent()) {
      try {
        end = Optional.of(plus(start.get(), e.duration()).toInstant());
      } catch (IllegalArgumentException x) {
        return Outcome.invalid(where(e) + ": " + x.getMessage());
      }
    }
    if (start.isPresent() && now.isBefore(start.get().toInstant())) return Outcome.of(false, start.get().toInstant());
    if (end.isPresent() && now.isAfter(end.get())) return Outcome.of(false, null);
    return Outcome.of(true, end.map(x -> x.plusSeconds(1)).orElse(null));
  }

  /**
   * {@code start} plus Pacemaker's duration fields, added in start's own offset: years keep the
   * day of the year (clipped to the year's length), months keep the day of the month (clipped).
   *
   * @throws IllegalArgumentException naming an unknown field or a value that is not an integer
   */
  public static OffsetDateTime plus(OffsetDateTime start, Map<String, String> duration) {
    for (String k : duration.keySet()) {
      if (!DURATION_FIELDS.contains(k)) {
        throw new IllegalArgumentException("duration field '" + k + "' (expected one of " + String.join(", ", DURATION_FIELDS) + ")");
      }
    }
    OffsetDateTime t = start;
    for (String k : DURATION_FIELDS) {
      String v = duration.get(k);
      if (v == null) continue;
      long n;
      try {
        n = Long.parseLong(v.strip());
      } catch (NumberFormatException x) {
        throw new IllegalArgumentException("duration " + k + "='" + v + "' is not an integer");
      }
      t = switch (k) {
        case "years" -> addYears(t, n);
        case "months" -> t.plusMonths(n);
        case "weeks" -> t.plusWeeks(n);
        case "days" -> t.plusDays(n);
        case "hours" -> t.plusHours(n);
        case "minutes" -> t.plusMinutes(n);
        default -> t.plusSeconds(n);
      };
    }
    return t;
  }

  /** Pacemaker stores dates as year and day of year, so adding years keeps the ordinal day. */
  private static OffsetDateTime addYears(OffsetDateTime t, long n) {
    int year = Math.toIntExact(t.getYear() + n);
    int day = Math.min(t.getDayOfYear(), java.time.Year.of(year).length());
    return OffsetDateTime.of(java.time.LocalDate.ofYearDay(year, day), t.toLocalTime(), t.getOffset());
  }

  private static Optional<OffsetDateTime> parse(String text) {
    try {
      return Optional.of(IsoTime.parse(text));
    } catch (IllegalArgumentException x) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> time(String text) {
    return parse(text).map(OffsetDateTime::toInstant);
  }

  private static String where(DateExpression e) {
    return "invalid date expression '" + e.id() + "'";
  }

  private static String badTime(DateExpression e, String field, String text) {
    return where(e) + ": " + field + " '" + text + "' is not an ISO 8601 date/time (expected e.g. 2026-11-25T21:00:00Z)";
  }
}
