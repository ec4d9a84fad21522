package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
  @Test
  void editDistanceCountsTranspositionsOnce() {
    assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggest.distance("", "abc")).isEqualTo(3);
    assertThat(Suggest.distance("agnet", "agent")).isEqualTo(1);
  }

  @Test
  void suggestsOnlyCloseWordsOfReasonableLength() {
    assertThat(Suggest.hint("dbb", List.of("db", "web"))).isEqualTo(" (did you mean 'db'?)");
    assertThat(Suggest.hint("b", List.of("a"))).isEmpty();
    assertThat(Suggest.hint("completely", List.of("different"))).isEmpty();
    assertThat(Suggest.closest("target-rol", List.of("target-role", "priority"))).contains("target-role");
  }
}
