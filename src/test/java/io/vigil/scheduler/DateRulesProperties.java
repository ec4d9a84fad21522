package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.DateExpression;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Algebraic laws of date expressions over random times. */
class DateRulesProperties {
  static final long BASE = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();

  static String iso(long s) {
    return Instant.ofEpochSecond(s).toString();
  }

  static boolean eval(DateExpression e, long now) {
    return DateRules.evaluate(e, Instant.ofEpochSecond(now)).matches();
  }

  @Property
  void inRangeIsGtStartAndLtEndExceptAtTheInclusiveEnds(@ForAll @LongRange(min = 0, max = 400_000_000) long a,
      @ForAll @LongRange(min = 0, max = 400_000_000) long b, @ForAll @LongRange(min = 0, max = 400_000_000) long n) {
    long start = BASE + a;
    long end = BASE + b;
    long now = BASE + n;
    boolean range = eval(DateRulesTest.range(iso(start), iso(end)), now);
    boolean both = eval(DateRulesTest.gt(iso(start)), now) && eval(DateRulesTest.lt(iso(end)), now);
    if (now == start || now == end) {
      assertThat(range).isEqualTo(start <= end);
    } else {
      assertThat(range).isEqualTo(both);
    }
  }

  @Property
  void nextChangeIsWhenTheResultFlips(@ForAll @IntRange(min = 0, max = 3) int kind,
      @ForAll @LongRange(min = 0, max = 100_000_000) long a, @ForAll @LongRange(min = 0, max = 100_000_000) long d,
      @ForAll @LongRange(min = 0, max = 100_000_000) long n) {
    DateExpression e = switch (kind) {
      case 0 -> DateRulesTest.gt(iso(BASE + a));
      case 1 -> DateRulesTest.lt(iso(BASE + a));
      case 2 -> DateRulesTest.range(iso(BASE + a), iso(BASE + a + d));
      default -> new DateExpression("d", "in_range", Optional.of(iso(BASE + a)), Optional.empty(),
          Map.of("seconds", Long.toString(d)), Map.of());
    };
    long now = BASE + n;
    DateRules.Outcome o = DateRules.evaluate(e, Instant.ofEpochSecond(now));
    if (o.nextChange().isEmpty()) {
      assertThat(eval(e, now + 1_000_000_000L)).as("never changes again").isEqualTo(o.matches());
      return;
    }
    long next = o.nextChange().get().getEpochSecond();
    assertThat(next).isGreaterThan(now);
    assertThat(eval(e, next - 1)).as("unchanged until the boundary").isEqualTo(o.matches());
    assertThat(eval(e, next)).as("changed at the boundary").isNotEqualTo(o.matches());
  }

  @Property(tries = 300)
  void dateSpecIsConstantUntilItsNextChange(@ForAll @LongRange(min = 0, max = 300_000_000) long n,
      @ForAll @IntRange(min = 0, max = 23) int h1, @ForAll @IntRange(min = 0, max = 23) int h2,
      @ForAll @IntRange(min = 1, max = 7) int d1, @ForAll @IntRange(min = 1, max = 7) int d2) {
    Assume.that(h1 <= h2 && d1 <= d2);
    DateExpression e = DateRulesTest.spec(Map.of("hours", h1 + "-" + h2, "weekdays", d1 + "-" + d2));
    long now = BASE + n;
    DateRules.Outcome o = DateRules.evaluate(e, Instant.ofEpochSecond(now));
    long next = o.nextChange().orElseThrow().getEpochSecond();
    for (long t = now; t < next; t += 1800) assertThat(eval(e, t)).isEqualTo(o.matches());
    if (!(h1 == 0 && h2 == 23 && d1 == 1 && d2 == 7)) {
      assertThat(eval(e, next)).as("flips at %s", iso(next)).isNotEqualTo(o.matches());
    }
  }
}
