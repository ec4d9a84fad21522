package io.vigil.cluster.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TwoNodeTakeoverTest {
  static final long MS = 1_000_000L;
  static final long TIMEOUT = 500 * MS;

  @Test
  void aFastNodeTimeoutDoesNotMakeTheTakeoverFenceBetweenTwoRaftHeartbeats() {
    var heartbeat = java.time.Duration.ofMillis(150);
    assertThat(TwoNodeTakeover.silenceLimit(java.time.Duration.ofMillis(100), heartbeat)).isEqualTo(java.time.Duration.ofMillis(450));
    assertThat(TwoNodeTakeover.silenceLimit(java.time.Duration.ofMillis(500), heartbeat)).isEqualTo(java.time.Duration.ofMillis(500));
  }

  static TwoNodeTakeover.Inputs inputs(OptionalLong silence) {
    return new TwoNodeTakeover.Inputs("a", Set.of("a", "b"), silence, TIMEOUT, true, true, false, 0, 0);
  }

  @Test
  void aPeerSilentForNodeTimeoutIsFenced() {
    var d = TwoNodeTakeover.decide(inputs(OptionalLong.of(600 * MS)));
    assertThat(d).isInstanceOf(TwoNodeTakeover.Decision.FencePeer.class);
    assertThat(((TwoNodeTakeover.Decision.FencePeer) d).peer()).isEqualTo("b");
  }

  @Test
  void aPeerHeardWithinNodeTimeoutIsLeftAlone() {
    assertThat(TwoNodeTakeover.decide(inputs(OptionalLong.of(499 * MS))))
        .isEqualTo(new TwoNodeTakeover.Decision.Wait("peer b is alive"));
  }

  @Test
  void aPeerNeverHeardSinceStartIsNeverFenced() {
    var d = (TwoNodeTakeover.Decision.Wait) TwoNodeTakeover.decide(inputs(OptionalLong.empty()));
    assertThat(d.why()).contains("not heard since this node started (wait for all)");
  }

  @Test
  void withoutFencingOrADeviceOrDuringAPauseNothingIsFenced() {
    OptionalLong silent = OptionalLong.of(2_000 * MS);
    var noFencing = new TwoNodeTakeover.Inputs("a", Set.of("a", "b"), silent, TIMEOUT, false, true, false, 0, 0);
    assertThat(((TwoNodeTakeover.Decision.Wait) TwoNodeTakeover.decide(noFencing)).why())
        .contains("fencing is disabled: a two-node cluster without fencing or witness cannot take over");
    var noDevice = new TwoNodeTakeover.Inputs("a", Set.of("a", "b"), silent, TIMEOUT, true, false, false, 0, 0);
    assertThat(((TwoNodeTakeover.Decision.Wait) TwoNodeTakeover.decide(noDevice)).why()).contains("no fence device can fence b");
    var paused = new TwoNodeTakeover.Inputs("a", Set.of("a", "b"), silent, TIMEOUT, true, true, true, 0, 0);
    assertThat(((TwoNodeTakeover.Decision.Wait) TwoNodeTakeover.decide(paused)).why()).contains("paused by an operator");
  }

  @Test
  void aGroupOfOneOrThreeVotersNeverTakesOver() {
    OptionalLong silent = OptionalLong.of(2_000 * MS);
    for (Set<String> voters : java.util.List.of(Set.of("a"), Set.of("a", "b", "w"), Set.of("b", "c"))) {
      var in = new TwoNodeTakeover.Inputs("a", voters, silent, TIMEOUT, true, true, false, 0, 0);
      assertThat(TwoNodeTakeover.decide(in)).isInstanceOf(TwoNodeTakeover.Decision.Wait.class);
    }
  }

  @Test
  void aFailedFencingIsRetriedAfterABackoffThatDoublesUpToTenSeconds() {
    OptionalLong silent = OptionalLong.of(5_000 * MS);
    var soon = new TwoNodeTakeover.Inputs("a", Set.of("a", "b"), silent, TIMEOUT, true, true, false, 2, 1_999 * MS);
    assertThat(((TwoNodeTakeover.Decision.Wait) TwoNodeTakeover.decide(soon)).why()).contains("fencing failed 2 time(s), next attempt in 1 ms");
    var later = new TwoNodeTakeover.Inputs("a", Set.of("a", "b"), silent, TIMEOUT, true, true, false, 2, 2_000 * MS);
    assertThat(TwoNodeTakeover.decide(later)).isInstanceOf(TwoNodeTakeover.Decision.FencePeer.class);
    assertThat(TwoNodeTakeover.backoffNanos(1)).isEqualTo(1_000 * MS);
    assertThat(TwoNodeTakeover.backoffNanos(4)).isEqualTo(8_000 * MS);
    assertThat(TwoNodeTakeover.backoffNanos(60)).isEqualTo(10_000 * MS);
  }

  @Test
  void aTwoNodeSetupWithoutFencingOrADeviceIsNamedAsUnableToTakeOver() {
    assertThat(TwoNodeTakeover.setupProblem("b", false, true)).contains("fencing is disabled and there is no witness")
        .contains("if b is lost, this node cannot take over");
    assertThat(TwoNodeTakeover.setupProblem("b", true, false)).contains("no fence device can fence b");
    assertThat(TwoNodeTakeover.setupProblem("b", true, true)).isEmpty();
  }

  @Test
  void badInputsAreRefused() {
    assertThatThrownBy(() -> new TwoNodeTakeover.Inputs("a", Set.of("a", "b"), OptionalLong.empty(), 0, true, true, false, 0, 0))
        .hasMessageContaining("node timeout must be positive");
  }

  /** Safety: a decision to fence needs every precondition; missing any one of them means waiting. */
  @Property
  void fencesOnlyWhenEveryPreconditionHolds(@ForAll boolean heard, @ForAll @LongRange(min = 0, max = 3_000) long silenceMs,
      @ForAll boolean enabled, @ForAll boolean fenceable, @ForAll boolean paused, @ForAll @IntRange(min = 0, max = 5) int failures,
      @ForAll @LongRange(min = 0, max = 20_000) long sinceFailureMs) {
    var in = new TwoNodeTakeover.Inputs("a", Set.of("a", "b"), heard ? OptionalLong.of(silenceMs * MS) : OptionalLong.empty(),
        TIMEOUT, enabled, fenceable, paused, failures, sinceFailureMs * MS);
    boolean expected = heard && silenceMs * MS >= TIMEOUT && enabled && fenceable && !paused
        && (failures == 0 || sinceFailureMs * MS >= TwoNodeTakeover.backoffNanos(failures));
    assertThat(TwoNodeTakeover.decide(in) instanceof TwoNodeTakeover.Decision.FencePeer).isEqualTo(expected);
  }
}
