package io.vigil.agents.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RiseFallTest {

  @Test
  void goesDownAfterFallConsecutiveFailures() {
    RiseFall s = RiseFall.initial(2, 3, false);
    s = s.next(false).next(false);
    assertThat(s.state()).isEqualTo(HealthState.UP);
    assertThat(s.next(false).state()).isEqualTo(HealthState.DOWN);
  }

  @Test
  void aSuccessResetsTheFailureStreak() {
    RiseFall s = RiseFall.initial(2, 3, false).next(false).next(false).next(true).next(false).next(false);
    assertThat(s.state()).isEqualTo(HealthState.UP);
  }

  @Test
  void comesBackAfterRiseConsecutiveSuccesses() {
    RiseFall s = RiseFall.initial(3, 1, true);
    assertThat(s.state()).isEqualTo(HealthState.DOWN);
    s = s.next(true).next(true).next(false).next(true).next(true);
    assertThat(s.state()).isEqualTo(HealthState.DOWN);
    assertThat(s.next(true).state()).isEqualTo(HealthState.UP);
  }

  @Property
  void alternatingResultsNeverChangeTheState(
      @ForAll @IntRange(min = 2, max = 5) int rise, @ForAll @IntRange(min = 2, max = 5) int fall,
      @ForAll boolean startDown, @ForAll @IntRange(min = 1, max = 50) int steps) {
    RiseFall s = RiseFall.initial(rise, fall, startDown);
    HealthState initial = s.state();
    for (int i = 0; i < steps; i++) {
      s = s.next(i % 2 == 0);
      assertThat(s.state()).isEqualTo(initial);
    }
  }

  @Test
  void trackerEmitsOneEventPerTransitionAndWeightChange() {
    var policy = new CheckSpec.CheckPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 2, false);
    HealthTracker t = new HealthTracker(Map.of("a", policy));
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(t.apply("a", CheckResult.failed("x"), t0)).isEmpty();
    var down = t.apply("a", CheckResult.failed("connection refused"), t0.plusSeconds(1)).orElseThrow();
    assertThat(down.from()).isEqualTo(HealthState.UP);
    assertThat(down.to()).isEqualTo(HealthState.DOWN);
    assertThat(down.detail()).isEqualTo("connection refused");
    assertThat(down.at()).isEqualTo(t0.plusSeconds(1));
    assertThat(t.apply("a", CheckResult.failed("x"), t0)).isEmpty();
    assertThat(t.apply("a", CheckResult.ok("x"), t0)).isEmpty();
    assertThat(t.apply("a", CheckResult.ok("x"), t0).orElseThrow().to()).isEqualTo(HealthState.UP);
    var weighted = new CheckResult(true, OptionalInt.of(7), "w");
    assertThat(t.apply("a", weighted, t0).orElseThrow().weight()).hasValue(7);
    assertThat(t.apply("a", weighted, t0)).isEmpty();
  }
}
