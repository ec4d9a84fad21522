package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Score;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** {@link Scores#same} answers as Map.equals does, without Score's generated equals. */
class ScoresSameTest {

  private static Map<String, Score> table(List<Integer> values, int nodes) {
    Map<String, Score> m = new LinkedHashMap<>();
    for (int k = 0; k < Math.min(nodes, values.size()); k++) m.put("n" + (k % 4), Score.of(values.get(k) % 3));
    return m;
  }

  @Property
  void sameAgreesWithMapEquals(@ForAll @Size(max = 6) List<@IntRange(min = -2, max = 2) Integer> a,
      @ForAll @Size(max = 6) List<@IntRange(min = -2, max = 2) Integer> b,
      @ForAll @IntRange(min = 0, max = 6) int na, @ForAll @IntRange(min = 0, max = 6) int nb) {
    Map<String, Score> x = table(a, na);
    Map<String, Score> y = table(b, nb);
    assertThat(Scores.same(x, y)).isEqualTo(x.equals(y));
    assertThat(Scores.same(x, new LinkedHashMap<>(x))).isTrue();
  }
}
