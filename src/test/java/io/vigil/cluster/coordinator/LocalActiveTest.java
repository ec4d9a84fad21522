package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.exec.Invocation;
import io.vigil.model.AgentRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalActiveTest {
  private final LocalActive local = new LocalActive();

  private static Invocation inv(String rsc, String action) {
    return Invocation.of(AgentRef.parse("ocf:heartbeat:Dummy"), rsc, action, Map.of(), Duration.ofSeconds(20));
  }

  private List<String> order() {
    return local.newestFirst().stream().map(e -> e.getKey() + (e.getValue().promoted() ? "*" : "")).toList();
  }

  @Test
  void startsAreStoppedNewestFirstAndOnlyASuccessfulStopForgetsOne() {
    local.note("START", "ip", inv("ip", "start"), null);
    local.note("START", "ip", inv("ip", "start"), 0);
    local.note("START", "web", inv("web", "start"), 1); // a failed start may still have left it running
    assertThat(order()).containsExactly("web", "ip");
    local.note("STOP", "web", inv("web", "stop"), 1);
    assertThat(order()).containsExactly("web", "ip");
    local.note("STOP", "web", inv("web", "stop"), 0);
    assertThat(order()).containsExactly("ip");
    assertThat(local.newestFirst().getFirst().getValue().invocation().action()).isEqualTo("start");
  }

  @Test
  void probesAndMonitorsReportWhatRunsAndPromotionIsTracked() {
    local.note("PROBE", "db:0", inv("db:0", "monitor"), 8);
    local.note("PROBE", "old", inv("old", "monitor"), 0);
    assertThat(order()).containsExactly("old", "db:0*");
    local.note("DEMOTE", "db:0", inv("db:0", "demote"), 0);
    local.note("MONITOR", "old", inv("old", "monitor"), 7);
    assertThat(order()).containsExactly("db:0");
    local.note("PROMOTE", "db:0", inv("db:0", "promote"), null);
    assertThat(order()).containsExactly("db:0*");
  }
}
