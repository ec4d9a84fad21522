package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Meta;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Failed results older than failure-timeout are forgotten, as Pacemaker's check_operation_expiry. */
class FailureExpiryTest {
  static final Instant FAILED_AT = Instant.parse("2026-01-01T00:00:00Z");

  static ClusterStatus notInstalledOnN1(int opStatus) {
    var probe = new OpRecord("web_monitor_0", "monitor", 0, 5, opStatus, 1, 7, Optional.of(FAILED_AT), 0,
        Optional.empty(), Optional.empty());
    return Fixtures.status(NodeStatus.online("n1", List.of(new ResourceHistory("web", "ocf:pacemaker:Dummy", List.of(probe)))),
        NodeStatus.online("n2", List.of(Fixtures.stopped("web", 1))));
  }

  static final io.vigil.model.ClusterConfig CONFIG = Fixtures.config(List.of("n1", "n2"),
      List.of(Fixtures.dummy("web", Meta.of(Map.of("failure-timeout", "10min")))),
      List.of(io.vigil.model.Location.of("prefer-n1", "web", "n1", io.vigil.model.Score.of(100))));

  @Test
  void aFailedProbeBansTheNodeUntilItExpiresAndSaysWhen() {
    Transition early = Scheduler.schedule(CONFIG, notInstalledOnN1(OpRecord.EXEC_DONE), FAILED_AT.plusSeconds(60));
    assertThat(early.placement("web").orElseThrow().target()).contains("n2");
    assertThat(early.recheckAt()).contains(FAILED_AT.plusSeconds(600));
    Transition late = Scheduler.schedule(CONFIG, notInstalledOnN1(OpRecord.EXEC_DONE), FAILED_AT.plusSeconds(600));
    assertThat(late.placement("web").orElseThrow().target()).as("the expired failure is ignored").contains("n1");
  }

  @Test
  void anAgentThatCouldNotBeFoundNeverExpires() {
    Transition late = Scheduler.schedule(CONFIG, notInstalledOnN1(OpRecord.EXEC_NOT_INSTALLED), FAILED_AT.plusSeconds(3600));
    assertThat(late.placement("web").orElseThrow().target()).contains("n2");
  }

  @Test
  void anUnexpiredFailCountKeepsTheFailure() {
    ClusterStatus s = notInstalledOnN1(OpRecord.EXEC_DONE);
    NodeStatus n1 = s.node("n1").orElseThrow().withAttributes(Map.of("fail-count-web#monitor_0", "1",
        "last-failure-web#monitor_0", Long.toString(FAILED_AT.plusSeconds(3000).getEpochSecond())));
    ClusterStatus withCount = Fixtures.status(n1, s.node("n2").orElseThrow());
    Transition t = Scheduler.schedule(CONFIG, withCount, FAILED_AT.plusSeconds(3300));
    assertThat(t.placement("web").orElseThrow().target()).contains("n2");
  }
}
