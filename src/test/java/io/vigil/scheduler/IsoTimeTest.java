package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IsoTimeTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2005-020T12:30 | 2005-01-20T12:30:00Z",
      "2005020T1230 | 2005-01-20T12:30:00Z",
      "2014-05-07 00:28:00 | 2014-05-07T00:28:00Z",
      "20140507T002800Z | 2014-05-07T00:28:00Z",
      "2014-05-07T02:28:00+02:00 | 2014-05-07T00:28:00Z",
      "2014-05-07 02:28:00 +02:00 | 2014-05-07T00:28:00Z",
      "2014-05-07T02:28:00+0200 | 2014-05-07T00:28:00Z",
      "2014-05-06T22:28:00-02 | 2014-05-07T00:28:00Z",
      "2014-05-07T00:28:00.750Z | 2014-05-07T00:28:00Z",
      "2005-W03-4T12:30 | 2005-01-20T12:30:00Z",
      "2009-W53-7 | 2010-01-03T00:00:00Z",
      "2005-01-20 | 2005-01-20T00:00:00Z",
      "2005-01-20T24:00:00 | 2005-01-21T00:00:00Z",
  })
  void readsThePacemakerForms(String text, String want) {
    assertThat(IsoTime.instant(text)).isEqualTo(Instant.parse(want));
  }

  @ParameterizedTest
  @CsvSource({"yesterday", "2005-13-40", "2005-400T12:00", "2014-05-07 25:00", "2014-W54-1", "''", "2014-05-07Tnoon"})
  void refusesOtherTextNamingTheForms(String text) {
    assertThatThrownBy(() -> IsoTime.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'").hasMessageContaining("2014-05-07T00:28:00Z");
  }
}
