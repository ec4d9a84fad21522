package io.vigil.scheduler.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimTimeTest {
  @ParameterizedTest
  @CsvSource({
      "2005-020T12:30, 2005-01-20T12:30:00Z",
      "2014-05-07 00:28:00, 2014-05-07T00:28:00Z",
      "2014-05-07T00:28:00Z, 2014-05-07T00:28:00Z",
      "2014-05-07T02:28:00+02:00, 2014-05-07T00:28:00Z",
      "2005-W03-4T12:30, 2005-01-20T12:30:00Z",
      "2005-01-20, 2005-01-20T00:00:00Z",
  })
  void parsesCrmSimulateTimeForms(String text, String want) {
    assertThat(SimTime.parse(text)).isEqualTo(Instant.parse(want));
  }

  @ParameterizedTest
  @CsvSource({"yesterday", "2005-13-40", "2005-400T12:00", "2014-05-07 25:00"})
  void rejectsOtherTextNamingTheAcceptedForms(String text) {
    assertThatThrownBy(() -> SimTime.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text).hasMessageContaining("2005-020T12:30");
  }
}
