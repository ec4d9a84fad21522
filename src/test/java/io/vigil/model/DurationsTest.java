package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesOperatorSpellings() {
    assertThat(Durations.parse("20")).isEqualTo(Duration.ofSeconds(20));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("5min")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("PT20S")).isEqualTo(Duration.ofSeconds(20));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("0.25ms")).isEqualTo(Duration.ofNanos(250_000));
  }

  @Test
  void rejectsGarbageWithTheAcceptedForms() {
    assertThatThrownBy(() -> Durations.parse("soon"))
        .hasMessageContaining("'soon' is not a duration (expected e.g. 500ms, 1.5s, 20s");
    assertThatThrownBy(() -> Durations.parse("-5s")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("99999999999h")).isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void formatRoundTrips(@ForAll @LongRange(min = 0, max = 100_000_000_000L) long millis) {
    Duration d = Duration.ofMillis(millis);
    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
  }
}
