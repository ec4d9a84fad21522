package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.balancer.ServerStatus;
import io.vigil.agents.balancer.agent.BalancerSnapshot;
import io.vigil.agents.balancer.health.HealthState;
import io.vigil.agents.balancer.agent.RunningBalancers;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** The balancers' local report as the daemon answers it and {@code vigil balancer status} reads it back. */
class BalancerReportTest {
  @Test
  void nothingRunningIsAnEmptyReport() throws Exception {
    try (RunningBalancers none = new RunningBalancers((r, e) -> {}, InstantSource.system())) {
      BalancerReport report = new BalancerReport(none);
      assertThat(report.name()).isEqualTo("balancers");
      assertThat(report.summary()).isEmpty();
      assertThat(report.prometheus()).isEmpty();
      var answer = ClusterCli.JSON.createObjectNode();
      answer.set(report.name(), report.json());
      assertThat(BalancerReport.parse(answer)).isEmpty();
    }
  }

  @Test
  void snapshotsSurviveTheControlSocketJson() throws Exception {
    BalancerSnapshot s = new BalancerSnapshot("web-lb", "web", "127.0.0.1:8080", true, 1234, java.util.List.of(
        new ServerStatus("10.0.0.1:80", "default", HealthState.UP, 3, false, 2, 1, 40, 0, 2048, 4096),
        new ServerStatus("10.0.0.2:80", "default", HealthState.DOWN, 1, true, 0, 0, 10, 2, 100, 200)));
    var node = ClusterCli.JSON.createObjectNode();
    var arr = node.putArray("balancers");
    var one = (com.fasterxml.jackson.databind.node.ObjectNode) ClusterCli.JSON.valueToTree(s);
    one.set("totals", ClusterCli.JSON.valueToTree(s.totals()));
    arr.add(one);
    assertThat(BalancerReport.parse(ClusterCli.JSON.readTree(ClusterCli.JSON.writeValueAsString(node)))).containsExactly(s);
    assertThat(one.path("totals").path("connections").asLong()).isEqualTo(50);
  }
}
