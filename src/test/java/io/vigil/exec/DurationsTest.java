package io.vigil.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesPacemakerStyleDurations() {
    assertThat(Durations.parse("20")).isEqualTo(Duration.ofSeconds(20));
    assertThat(Durations.parse("20s")).isEqualTo(Duration.ofSeconds(20));
    assertThat(Durations.parse("100ms")).isEqualTo(Duration.ofMillis(100));
    assertThat(Durations.parse("2min")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void rejectsGarbageWithAnExample() {
    assertThatThrownBy(() -> Durations.parse("soon"))
        .hasMessage("bad duration 'soon': expected e.g. 20s, 100ms, 2min or PT20S");
  }

  @Test
  void formatsCompactly() {
    assertThat(Durations.format(Duration.ofSeconds(20))).isEqualTo("20s");
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ofMinutes(3))).isEqualTo("3min");
  }
}
