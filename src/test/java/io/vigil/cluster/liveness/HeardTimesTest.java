package io.vigil.cluster.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeardTimesTest {
  private static final long MS = 1_000_000L;

  @Test
  void aFollowerCountsEverySampleAndKeepsTheLatestTimeHeard() {
    HeardTimes h = new HeardTimes();
    assertThat(h.sample("b", 30, 1_000 * MS)).hasValue(970 * MS);
    assertThat(h.sample("b", 200, 1_050 * MS)).hasValue(850 * MS);
    assertThat(h.lastHeard("b")).hasValue(970 * MS);
  }

  @Test
  void aLeaderTrustsARecordOnlyOnceItsSilenceDropped() {
    HeardTimes h = new HeardTimes();
    h.role(true);
    assertThat(h.sample("b", 0, 1_000 * MS)).isEmpty(); // Ratis' fresh record says "just heard"
    assertThat(h.sample("b", 50, 1_050 * MS)).isEmpty();
    assertThat(h.anyTrusted()).isFalse();
    assertThat(h.lastHeard("b")).isEmpty();
    assertThat(h.sample("b", 10, 1_100 * MS)).hasValue(1_090 * MS); // a real answer
    assertThat(h.anyTrusted()).isTrue();
    h.role(false);
    h.role(true); // a new term as leader: trust starts over, the time heard stays
    assertThat(h.anyTrusted()).isFalse();
    assertThat(h.sample("b", 0, 1_200 * MS)).isEmpty();
    assertThat(h.lastHeard("b")).hasValue(1_090 * MS);
  }

  @Test
  void aPauseOfThisNodeMovesEveryTimeHeardOnAndForgettingAPeerMakesItUnheard() {
    HeardTimes h = new HeardTimes();
    h.sample("b", 0, 1_000 * MS);
    h.paused(400 * MS);
    assertThat(h.lastHeard("b")).hasValue(1_400 * MS);
    h.forget("b");
    assertThat(h.lastHeard("b")).isEmpty();
  }
}
