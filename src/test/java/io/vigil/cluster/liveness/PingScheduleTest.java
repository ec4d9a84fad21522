package io.vigil.cluster.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PingScheduleTest {
  private static final long MS = 1_000_000L;

  @Test
  void fivePingsPerNodeTimeoutWithinTenToOneHundredMilliseconds() {
    assertThat(PingSchedule.intervalFor(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(20));
    assertThat(PingSchedule.intervalFor(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(100));
    assertThat(PingSchedule.intervalFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(100));
    assertThat(PingSchedule.intervalFor(Duration.ofMillis(20))).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void pingsAreUsedOnlyWhenFewerThanThreeRaftHeartbeatsFitInTheNodeTimeout() {
    Duration heartbeat = Duration.ofMillis(150);
    assertThat(PingSchedule.useful(Duration.ofMillis(500), heartbeat)).isFalse();
    assertThat(PingSchedule.useful(Duration.ofMillis(450), heartbeat)).isFalse();
    assertThat(PingSchedule.useful(Duration.ofMillis(449), heartbeat)).isTrue();
    assertThat(PingSchedule.useful(Duration.ofMillis(100), heartbeat)).isTrue();
  }

  @Test
  void eachPeerIsPingedOncePerIntervalAndNewPeersAtOnce() {
    PingSchedule s = new PingSchedule(Duration.ofMillis(100));
    assertThat(s.due(List.of("b", "c"), 0)).containsExactly("b", "c");
    s.answered("b", 0, 1 * MS);
    s.answered("c", 0, 1 * MS);
    assertThat(s.due(List.of("b", "c"), 19 * MS)).isEmpty();
    assertThat(s.due(List.of("b", "c", "d"), 20 * MS)).containsExactly("b", "c", "d");
  }

  @Test
  void aPeerThatDoesNotAnswerHasAtMostThreePingsWaitingAndAFailureFreesOne() {
    PingSchedule s = new PingSchedule(Duration.ofMillis(100));
    int sent = 0;
    for (long t = 0; t < 1_000; t += 10) sent += s.due(List.of("b"), t * MS).size();
    assertThat(sent).isEqualTo(PingSchedule.MAX_IN_FLIGHT);
    s.failed("b");
    assertThat(s.due(List.of("b"), 1_000 * MS)).containsExactly("b");
    assertThat(s.due(List.of("b"), 2_000 * MS)).isEmpty();
  }

  @Test
  void theLatestAnswerCountsAndAResetOrARemovedPeerForgetsIt() {
    PingSchedule s = new PingSchedule(Duration.ofMillis(100));
    s.due(List.of("b", "c"), 0);
    s.due(List.of("b", "c"), 20 * MS);
    s.answered("b", 20 * MS, 30 * MS);
    s.answered("b", 0, 35 * MS); // the earlier ping, answered late
    assertThat(s.lastAnswer("b")).hasValue(new PingSchedule.Answer(20 * MS, 30 * MS));
    s.due(List.of("c"), 40 * MS);
    assertThat(s.lastAnswer("b")).isEmpty();
    s.answered("c", 40 * MS, 50 * MS);
    s.reset();
    assertThat(s.lastAnswer("c")).isEmpty();
  }

  @Test
  void aLongerNodeTimeoutSpacesThePings() {
    PingSchedule s = new PingSchedule(Duration.ofMillis(100));
    s.due(List.of("b"), 0);
    s.answered("b", 0, MS);
    s.interval(Duration.ofMillis(500));
    assertThat(s.due(List.of("b"), 50 * MS)).isEmpty();
    assertThat(s.due(List.of("b"), 100 * MS)).containsExactly("b");
  }

  @Property
  void noPeerEverHasMoreThanThreePingsWaitingNorTwoPingsCloserThanTheInterval(
      @ForAll("answers") List<Boolean> answers, @ForAll @LongRange(min = 20, max = 2_000) long timeoutMs) {
    PingSchedule s = new PingSchedule(Duration.ofMillis(timeoutMs));
    long interval = PingSchedule.intervalFor(Duration.ofMillis(timeoutMs)).toNanos();
    int waiting = 0;
    long last = Long.MIN_VALUE;
    long t = 0;
    for (boolean answer : answers) {
      t += 7 * MS;
      var due = s.due(Set.of("b"), t);
      if (!due.isEmpty()) {
        assertThat(last == Long.MIN_VALUE || t - last >= interval).isTrue();
        last = t;
        waiting++;
      }
      assertThat(waiting).isLessThanOrEqualTo(PingSchedule.MAX_IN_FLIGHT);
      if (answer && waiting > 0) {
        s.answered("b", t, t);
        waiting--;
      }
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<Boolean>> answers() {
    return net.jqwik.api.Arbitraries.of(true, false).list().ofMaxSize(300);
  }
}
