package io.vigil.config.cib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Durations;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PacemakerDurationsTest {

  @Provide
  Arbitrary<String> durationLike() {
    Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(13);
    Arbitrary<String> unit = Arbitraries.of("", "s", "ms", "m", "min", "h", "sec", "S", " s", "s ", "x", ".5s");
    return Arbitraries.strings().withChars("0123456789 ").ofMaxLength(2).flatMap(pre ->
        digits.flatMap(d -> unit.map(u -> pre.strip().isEmpty() ? d + u : pre + d + u)));
  }

  @Property
  void plainFormsReadAsDurationsReadsThem(@ForAll("durationLike") String text) {
    Duration plain = PacemakerDurations.plain(text);
    if (plain == null) return;
    assertThat(plain).isEqualTo(Durations.parse(text));
    assertThat(PacemakerDurations.parse(text)).isEqualTo(plain);
  }

  @Test
  void plainFormsCoverSecondsAndMilliseconds() {
    assertThat(PacemakerDurations.plain("20")).isEqualTo(Duration.ofSeconds(20));
    assertThat(PacemakerDurations.plain("0s")).isEqualTo(Duration.ZERO);
    assertThat(PacemakerDurations.plain("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(PacemakerDurations.plain("1m")).isNull();
    assertThat(PacemakerDurations.plain("P10S")).isNull();
  }

  @Test
  void outOfRangeSecondsStillGetDurationsMessage() {
    assertThat(PacemakerDurations.plain("999999999")).isNull();
    assertThatThrownBy(() -> PacemakerDurations.parse("999999999s")).hasMessageContaining("out of range");
    assertThat(PacemakerDurations.parse("P10S")).isEqualTo(Duration.ofSeconds(10));
  }
}
