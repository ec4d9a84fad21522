package io.vigil.agents.balancer.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.balancer.BalancerEvent;
import io.vigil.agents.balancer.ServerStatus;
import io.vigil.agents.balancer.VirtualService;
import io.vigil.agents.balancer.health.HealthState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BalancerReportsTest {
  static final BalancerSnapshot WEB = new BalancerSnapshot("web-lb", "web", "127.0.0.1:8080", true, 0, List.of(
      new ServerStatus("10.0.0.1:80", "default", HealthState.UP, 3, false, 2, 1, 40, 0, 2048, 3 * 1048576L),
      new ServerStatus("10.0.0.2:80", "default", HealthState.DOWN, 1, false, 0, 0, 7, 2, 100, 200),
      new ServerStatus("sorry 10.0.0.9:80", "sorry", HealthState.UP, 1, false, 1, 0, 3, 0, 10, 20)));

  @Test
  void totalsSumEveryServerButCountOnlyRealServersForHealth() {
    BalancerSnapshot.Totals t = WEB.totals();
    assertThat(t).isEqualTo(new BalancerSnapshot.Totals(3, 1, 50, 2, 2158, 3 * 1048576L + 220, 1, 2));
  }

  @Test
  void summaryIsOneLineWithHealthAndCounters() {
    assertThat(BalancerReports.summary(WEB)).isEqualTo("balancer web (resource web-lb) on 127.0.0.1:8080: 1/2 real servers up, "
        + "3 active, 1 inactive, 50 connections, 2.1 KiB in, 3.0 MiB out");
    BalancerSnapshot closed = new BalancerSnapshot("r", "s", "127.0.0.1:1", false, 0, List.of());
    assertThat(BalancerReports.summary(closed)).contains("NOT LISTENING");
  }

  @Test
  void prometheusTextHasEachFamilyOnceWithServiceAndServerLabels() {
    String text = BalancerReports.prometheus(List.of(WEB));
    assertThat(text).contains(
        "# TYPE vigil_balancer_connections_total counter\nvigil_balancer_connections_total{resource=\"web-lb\",service=\"web\"} 50\n",
        "vigil_balancer_connections_active{resource=\"web-lb\",service=\"web\"} 3\n",
        "vigil_balancer_listening{resource=\"web-lb\",service=\"web\"} 1\n",
        "vigil_balancer_server_up{resource=\"web-lb\",service=\"web\",server=\"10.0.0.2:80\",pool=\"default\"} 0\n",
        "vigil_balancer_server_bytes_out_total{resource=\"web-lb\",service=\"web\",server=\"10.0.0.1:80\",pool=\"default\"} 3145728\n",
        "vigil_balancer_server_connect_failures_total{resource=\"web-lb\",service=\"web\",server=\"10.0.0.2:80\",pool=\"default\"} 2\n");
    assertThat(text.lines().filter(l -> l.startsWith("# TYPE vigil_balancer_server_up ")).count()).isEqualTo(1);
    // every sample line is name{labels} integer
    assertThat(text.lines().filter(l -> !l.startsWith("#")))
        .allMatch(l -> l.matches("vigil_balancer_[a-z_]+\\{[^}]*\\} -?\\d+"));
  }

  @Test
  void labelValuesAreEscaped() {
    assertThat(BalancerReports.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
  }

  @Test
  void eventsReadAsOneLine() {
    Instant t = Instant.EPOCH;
    assertThat(BalancerReports.describe(new BalancerEvent.RealServerDown("web", "10.0.0.2:80", VirtualService.OnFailure.REMOVE,
        "3 failed checks", t))).isEqualTo("web: real server 10.0.0.2:80 down (remove): 3 failed checks");
    assertThat(BalancerReports.describe(new BalancerEvent.SorryServerActive("web", "default", false, t)))
        .isEqualTo("web: no real server of pool default is available: new clients are refused (no sorry server)");
  }
}
