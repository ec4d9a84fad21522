package io.vigil.exec.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.AgentRef;
import io.vigil.exec.Invocation;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceLaneTest {
  private static final long S = 1_000_000_000L;
  private final AgentRef dummy = AgentRef.parse("ocf:heartbeat:Dummy");
  private final ResourceLane lane = new ResourceLane("web");

  private Invocation oneShot(String action) {
    return Invocation.of(dummy, "web", action, Map.of(), Duration.ofSeconds(20));
  }

  private Invocation monitor(int intervalSeconds) {
    return new Invocation(dummy, "web", "monitor", Map.of(), Map.of(), Duration.ofSeconds(20),
        Duration.ofSeconds(intervalSeconds));
  }

  @Test
  void runsOneActionAtATimeInSubmissionOrder() {
    lane.submit(oneShot("start"));
    lane.submit(oneShot("promote"));
    ResourceLane.Job first = lane.poll(0).orElseThrow();
    assertThat(first.invocation().action()).isEqualTo("start");
    assertThat(lane.poll(0)).isEmpty();
    lane.complete(first.id(), 1);
    assertThat(lane.poll(1).orElseThrow().invocation().action()).isEqualTo("promote");
  }

  @Test
  void recurringMonitorWaitsForStartDelayThenRunsIntervalAfterEachCompletion() {
    lane.addRecurring(monitor(10), Duration.ofSeconds(5), 0);
    assertThat(lane.poll(4 * S)).isEmpty();
    assertThat(lane.nextDueNanos()).contains(5 * S);
    ResourceLane.Job m1 = lane.poll(5 * S).orElseThrow();
    assertThat(lane.complete(m1.id(), 7 * S)).isFalse();
    assertThat(lane.nextDueNanos()).contains(17 * S);
    assertThat(lane.poll(16 * S)).isEmpty();
    assertThat(lane.poll(17 * S)).isPresent();
  }

  @Test
  void queuedOneShotActionsGoBeforeADueMonitor() {
    lane.addRecurring(monitor(10), Duration.ZERO, 0);
    lane.submit(oneShot("promote"));
    assertThat(lane.poll(0).orElseThrow().invocation().action()).isEqualTo("promote");
  }

  @Test
  void stopCancelsRecurringMonitorsSoNoMonitorRunsAfterIt() {
    lane.addRecurring(monitor(10), Duration.ZERO, 0);
    lane.submit(oneShot("stop"));
    ResourceLane.Job stop = lane.poll(0).orElseThrow();
    assertThat(stop.invocation().action()).isEqualTo("stop");
    lane.complete(stop.id(), S);
    assertThat(lane.poll(100 * S)).isEmpty();
    assertThat(lane.recurringActions()).isEmpty();
    assertThat(lane.nextDueNanos()).isEmpty();
  }

  @Test
  void stopWaitsForAnInFlightMonitorWhichIsReportedCancelled() {
    lane.addRecurring(monitor(10), Duration.ZERO, 0);
    ResourceLane.Job mon = lane.poll(0).orElseThrow();
    lane.submit(oneShot("stop"));
    assertThat(lane.poll(S)).as("stop must not overlap the running monitor").isEmpty();
    assertThat(lane.complete(mon.id(), 2 * S)).as("monitor cancelled while in flight").isTrue();
    assertThat(lane.poll(2 * S).orElseThrow().invocation().action()).isEqualTo("stop");
  }

  @Test
  void cancellingOneMonitorKeepsTheOthers() {
    lane.addRecurring(monitor(10), Duration.ZERO, 0);
    lane.addRecurring(monitor(30), Duration.ZERO, 0);
    assertThat(lane.cancelRecurring("monitor", Duration.ofSeconds(10))).isTrue();
    assertThat(lane.recurringActions()).extracting(Invocation::interval).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void completingAJobThatIsNotInFlightIsRefused() {
    lane.submit(oneShot("start"));
    assertThatThrownBy(() -> lane.complete(99, 0)).hasMessageContaining("job 99 completed but nothing is in flight");
  }

  @Test
  void actionsOfAnotherResourceAreRefused() {
    Invocation other = Invocation.of(dummy, "db", "start", Map.of(), Duration.ofSeconds(1));
    assertThatThrownBy(() -> lane.submit(other)).hasMessage("action for 'db' submitted to the lane of 'web'");
  }
}
