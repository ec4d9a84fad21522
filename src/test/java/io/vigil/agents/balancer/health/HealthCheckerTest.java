package io.vigil.agents.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The real checker against a real listening socket that is closed and reopened. */
class HealthCheckerTest {

  @Test
  void reportsAClosedPortDownAndAReopenedOneUp() throws Exception {
    List<HealthEvent> events = new CopyOnWriteArrayList<>();
    ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    int port = ss.getLocalPort();
    var policy = new CheckSpec.CheckPolicy(Duration.ofMillis(50), Duration.ofMillis(500), 2, 2, false);
    var target = new HealthChecker.Target("rs1", new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        Probe.forSpec(new CheckSpec.Tcp()), policy);
    try (HealthChecker checker = new HealthChecker(List.of(target), events::add, Clock.systemUTC())) {
      checker.start();
      ss.close();
      await().atMost(Duration.ofSeconds(5)).until(() -> checker.state("rs1") == HealthState.DOWN);
      ss = new ServerSocket();
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      await().atMost(Duration.ofSeconds(5)).until(() -> checker.state("rs1") == HealthState.UP);
    } finally {
      ss.close();
    }
    assertThat(events).extracting(HealthEvent::to).containsExactly(HealthState.DOWN, HealthState.UP);
    assertThat(events.get(0).detail()).contains("TCP connect");
  }
}
