package io.vigil.scheduler.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeState;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsTest {
  final ClusterStatus base = ClusterStatus.of(List.of(
      NodeStatus.online("n1", List.of(new ResourceHistory("web", "ocf:pacemaker:Dummy",
          List.of(OpRecord.of("web_start_0", "start", 0, 0, 4, 0))))),
      NodeStatus.online("n2", List.of())));

  @Test
  void nodeFailMakesTheNodeUncleanAndNodeDownOffline() {
    assertThat(Events.nodeFail(base, "n1").node("n1").orElseThrow().state(true)).isEqualTo(NodeState.UNCLEAN);
    assertThat(Events.nodeDown(base, "n1").node("n1").orElseThrow().state(true)).isEqualTo(NodeState.OFFLINE);
    assertThat(Events.nodeUp(Events.nodeDown(base, "n2"), "n2").node("n2").orElseThrow().state(true))
        .isEqualTo(NodeState.ONLINE);
  }

  @Test
  void opFailAppendsAFailedResultAfterEveryCallAndCountsIt() {
    NodeStatus n1 = Events.opFail(base, "web_monitor_10000@n1=7").node("n1").orElseThrow();
    OpRecord last = n1.history("web").orElseThrow().ops().get(1);
    assertThat(last.operation()).isEqualTo("monitor");
    assertThat(last.intervalMs()).isEqualTo(10000);
    assertThat(last.rc()).isEqualTo(7);
    assertThat(last.callId()).isEqualTo(5);
    assertThat(n1.attributes()).containsEntry("fail-count-web#monitor_10000", "1");
  }

  @Test
  void badEventsNameWhatWasExpected() {
    assertThatThrownBy(() -> Events.opFail(base, "web@n1")).hasMessageContaining("RSC_ACTION_INTERVAL@NODE=RC");
    assertThatThrownBy(() -> Events.nodeFail(base, "n9")).hasMessageContaining("node 'n9'").hasMessageContaining("n1, n2");
  }
}
