package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.DateExpression;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DateRulesTest {
  static DateExpression gt(String start) {
    return new DateExpression("d", "gt", Optional.of(start), Optional.empty(), Map.of(), Map.of());
  }

  static DateExpression lt(String end) {
    return new DateExpression("d", "lt", Optional.empty(), Optional.of(end), Map.of(), Map.of());
  }

  static DateExpression range(String start, String end) {
    return new DateExpression("d", "in_range", Optional.ofNullable(start), Optional.ofNullable(end), Map.of(), Map.of());
  }

  static DateExpression spec(Map<String, String> fields) {
    return new DateExpression("d", "date_spec", Optional.empty(), Optional.empty(), Map.of(), fields);
  }

  static DateRules.Outcome at(DateExpression e, String now) {
    return DateRules.evaluate(e, Instant.parse(now));
  }

  @Test
  void ltPassesStrictlyBeforeTheEndAndChangesAtTheEnd() {
    var e = lt("2026-11-25T21:00:00Z");
    assertThat(at(e, "2026-11-25T20:59:59Z").matches()).isTrue();
    assertThat(at(e, "2026-11-25T20:59:59Z").nextChange()).contains(Instant.parse("2026-11-25T21:00:00Z"));
    assertThat(at(e, "2026-11-25T21:00:00Z").matches()).isFalse();
    assertThat(at(e, "2026-11-25T21:00:00.900Z").matches()).as("compared to the second").isFalse();
    assertThat(at(e, "2026-11-25T21:00:00Z").nextChange()).isEmpty();
  }

  @Test
  void gtPassesStrictlyAfterTheStartAndChangesOneSecondAfterIt() {
    var e = gt("2026-11-25 21:00:00 +01:00");
    assertThat(at(e, "2026-11-25T20:00:00Z").matches()).isFalse();
    assertThat(at(e, "2026-11-25T20:00:00Z").nextChange()).contains(Instant.parse("2026-11-25T20:00:01Z"));
    assertThat(at(e, "2026-11-25T20:00:01Z").matches()).isTrue();
  }

  @Test
  void inRangeIncludesBothEnds() {
    var e = range("2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z");
    assertThat(at(e, "2025-12-31T23:59:59Z").matches()).isFalse();
    assertThat(at(e, "2025-12-31T23:59:59Z").nextChange()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(at(e, "2026-01-01T00:00:00Z").matches()).isTrue();
    assertThat(at(e, "2026-01-31T00:00:00Z").matches()).isTrue();
    assertThat(at(e, "2026-01-31T00:00:00Z").nextChange()).contains(Instant.parse("2026-01-31T00:00:01Z"));
    assertThat(at(e, "2026-01-31T00:00:01Z").matches()).isFalse();
    assertThat(at(range(null, "2026-01-31T00:00:00Z"), "1999-01-01T00:00:00Z").matches()).as("open start").isTrue();
    assertThat(at(range("2026-01-01T00:00:00Z", null), "2999-01-01T00:00:00Z").matches()).as("open end").isTrue();
  }

  @Test
  void inRangeWithDurationEndsAtStartPlusDurationAndAnEndWins() {
    var e = new DateExpression("d", "in_range", Optional.of("2026-01-31T12:00:00Z"), Optional.empty(),
        Map.of("months", "1", "hours", "2"), Map.of());
    // Jan 31 plus one month is Feb 28 (day clipped), plus 2 hours
    assertThat(at(e, "2026-02-28T14:00:00Z").matches()).isTrue();
    assertThat(at(e, "2026-02-28T14:00:01Z").matches()).isFalse();
    var withEnd = new DateExpression("d", "in_range", Optional.of("2026-01-01T00:00:00Z"), Optional.of("2026-01-02T00:00:00Z"),
        Map.of("years", "1"), Map.of());
    assertThat(at(withEnd, "2026-06-01T00:00:00Z").matches()).isFalse();
  }

  @Test
  void durationYearsKeepTheDayOfTheYearAsPacemaker() {
    var start = IsoTime.parse("2024-03-01T00:00:00Z"); // day 61 of a leap year
    assertThat(DateRules.plus(start, Map.of("years", "1")).toInstant()).isEqualTo(Instant.parse("2025-03-02T00:00:00Z"));
    assertThat(DateRules.plus(IsoTime.parse("2024-12-31T00:00:00Z"), Map.of("years", "1")).toInstant())
        .as("day 366 clipped to 365").isEqualTo(Instant.parse("2025-12-31T00:00:00Z"));
    assertThat(DateRules.plus(start, Map.of("weeks", "1", "days", "-1", "minutes", "90")).toInstant())
        .isEqualTo(Instant.parse("2024-03-07T01:30:00Z"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // now (2026-11-25 is a Wednesday, ISO week 48, day 329) | field | range | matches
      "2026-11-25T10:30:00Z | hours | 9-17 | true",
      "2026-11-25T18:00:00Z | hours | 9-17 | false",
      "2026-11-25T17:59:59Z | hours | 9-17 | true",
      "2026-11-25T10:30:00Z | weekdays | 1-5 | true",
      "2026-11-29T10:30:00Z | weekdays | 1-5 | false",
      "2026-11-29T10:30:00Z | weekdays | 7 | true",
      "2026-11-25T10:30:00Z | monthdays | 25 | true",
      "2026-11-25T10:30:00Z | months | -10 | false",
      "2026-11-25T10:30:00Z | months | 11- | true",
      "2026-11-25T10:30:00Z | yeardays | 329 | true",
      "2026-11-25T10:30:00Z | weeks | 48 | true",
      "2026-11-25T10:30:00Z | years | 2020-2026 | true",
      "2027-01-01T10:30:00Z | weekyears | 2026 | true",
      "2027-01-04T10:30:00Z | weekyears | 2026 | false",
      "2026-11-25T10:30:05Z | seconds | 0-4 | false",
      "2026-11-25T10:30:05Z | minutes | 30 | true",
  })
  void dateSpecFieldsReadNowInUtc(String now, String field, String range, boolean want) {
    assertThat(at(spec(Map.of(field, range)), now).matches()).isEqualTo(want);
  }

  @Test
  void dateSpecNeedsEveryFieldAndAnEmptySpecPasses() {
    var office = spec(Map.of("hours", "9-16", "weekdays", "1-5"));
    assertThat(at(office, "2026-11-25T10:00:00Z").matches()).isTrue();
    assertThat(at(office, "2026-11-28T10:00:00Z").matches()).as("Saturday").isFalse();
    assertThat(at(spec(Map.of()), "2026-11-28T10:00:00Z").matches()).isTrue();
  }

  @Test
  void dateSpecNextChangeIsTheExactBoundary() {
    var office = spec(Map.of("hours", "9-16", "weekdays", "1-5"));
    assertThat(at(office, "2026-11-25T10:00:00Z").nextChange()).contains(Instant.parse("2026-11-25T17:00:00Z"));
    assertThat(at(office, "2026-11-27T18:00:00Z").nextChange()).as("Friday evening: Monday 9:00")
        .contains(Instant.parse("2026-11-30T09:00:00Z"));
  }

  @Test
  void moonIsHonouredWithADeprecationWarning() {
    var o = at(spec(Map.of("moon", "0-7")), "2026-11-25T10:00:00Z");
    assertThat(o.matches()).isTrue();
    assertThat(o.warnings()).singleElement().asString().contains("'moon' is deprecated");
    // the formula Pacemaker uses: 2026-01-01 has golden number 13, epact 11 -> phase 3
    assertThat(DateSpec.moonPhase(java.time.LocalDate.of(2026, 1, 1))).isEqualTo(3);
  }

  @Test
  void invalidValuesFailTheExpressionAndSaySo() {
    var badEnd = at(lt("tomorrow"), "2026-11-25T10:00:00Z");
    assertThat(badEnd.matches()).isFalse();
    assertThat(badEnd.problems()).singleElement().asString()
        .contains("'d'").contains("end 'tomorrow'").contains("expected e.g. 2026-11-25T21:00:00Z");
    assertThat(at(spec(Map.of("hours", "9to5")), "2026-11-25T10:00:00Z").problems()).singleElement().asString()
        .contains("hours='9to5'").contains("expected e.g. 9, 9-17");
    assertThat(at(spec(Map.of("hour", "9")), "2026-11-25T10:00:00Z").problems()).singleElement().asString()
        .contains("field 'hour'");
    assertThat(at(new DateExpression("d", "in_range", Optional.of("2026-01-01"), Optional.empty(), Map.of("fortnights", "1"),
        Map.of()), "2026-01-01T00:00:00Z").problems()).singleElement().asString().contains("'fortnights'");
    assertThat(at(new DateExpression("d", "gt", Optional.empty(), Optional.of("2026-01-01"), Map.of(), Map.of()),
        "2026-11-25T10:00:00Z").problems()).singleElement().asString().contains("gt needs 'start'");
  }
}
