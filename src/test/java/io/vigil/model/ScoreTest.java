package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ScoreTest {

  @Test
  void plusInfinityPlusMinusInfinityIsMinusInfinity() {
    assertThat(Score.INFINITY.plus(Score.MINUS_INFINITY)).isEqualTo(Score.MINUS_INFINITY);
    assertThat(Score.MINUS_INFINITY.plus(Score.INFINITY)).isEqualTo(Score.MINUS_INFINITY);
  }

  @Test
  void infinityAbsorbsFiniteValues() {
    assertThat(Score.INFINITY.plus(Score.of(-999_999))).isEqualTo(Score.INFINITY);
    assertThat(Score.MINUS_INFINITY.plus(Score.of(999_999))).isEqualTo(Score.MINUS_INFINITY);
  }

  @Test
  void finiteSumsSaturate() {
    assertThat(Score.of(600_000).plus(Score.of(600_000))).isEqualTo(Score.INFINITY);
    assertThat(Score.of(-600_000).plus(Score.of(-600_000))).isEqualTo(Score.MINUS_INFINITY);
    assertThat(Score.of(5).plus(Score.of(-7))).isEqualTo(Score.of(-2));
  }

  @Test
  void parsesPacemakerSpellings() {
    assertThat(Score.parse("INFINITY")).isEqualTo(Score.INFINITY);
    assertThat(Score.parse("+INFINITY")).isEqualTo(Score.INFINITY);
    assertThat(Score.parse("-infinity")).isEqualTo(Score.MINUS_INFINITY);
    assertThat(Score.parse(" 42 ")).isEqualTo(Score.of(42));
    assertThat(Score.parse("-5000000")).isEqualTo(Score.MINUS_INFINITY);
    assertThat(Score.parse("red")).isEqualTo(Score.MINUS_INFINITY);
    assertThat(Score.parse("green")).isEqualTo(Score.ZERO);
  }

  @Test
  void rejectsTextThatIsNoScore() {
    assertThatThrownBy(() -> Score.parse("lots"))
        .hasMessage("'lots' is not a score (expected an integer, INFINITY or -INFINITY)");
    assertThatThrownBy(() -> Score.parse("1e5")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Score(1_000_001)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void printsAsPacemakerDoes() {
    assertThat(Score.INFINITY).hasToString("INFINITY");
    assertThat(Score.MINUS_INFINITY).hasToString("-INFINITY");
    assertThat(Score.of(-3)).hasToString("-3");
  }

  @Test
  void timesKeepsSignOfInfinity() {
    assertThat(Score.INFINITY.times(0.5)).isEqualTo(Score.INFINITY);
    assertThat(Score.INFINITY.times(-1)).isEqualTo(Score.MINUS_INFINITY);
    assertThat(Score.of(100).times(0.5)).isEqualTo(Score.of(50));
  }

  @Property
  void additionIsCommutative(@ForAll @IntRange(min = -1_000_000, max = 1_000_000) int a,
                             @ForAll @IntRange(min = -1_000_000, max = 1_000_000) int b) {
    assertThat(Score.of(a).plus(Score.of(b))).isEqualTo(Score.of(b).plus(Score.of(a)));
  }

  @Property
  void sumStaysWithinInfinities(@ForAll @IntRange(min = -1_000_000, max = 1_000_000) int a,
                                @ForAll @IntRange(min = -1_000_000, max = 1_000_000) int b) {
    int v = Score.of(a).plus(Score.of(b)).value();
    assertThat(v).isBetween(-Score.INFINITY_VALUE, Score.INFINITY_VALUE);
  }

  @Property
  void roundTripsThroughText(@ForAll @IntRange(min = -1_000_000, max = 1_000_000) int a) {
    assertThat(Score.parse(Score.of(a).toString())).isEqualTo(Score.of(a));
  }
}
