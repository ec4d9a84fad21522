package io.vigil.agents.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.balancer.health.HealthEvent;
import io.vigil.agents.balancer.health.HealthState;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The engine's decisions with a fake ticker and no sockets. */
class BalancerEngineTest {
  static final long SEC = 1_000_000_000L;
  static final InetSocketAddress VIP = new InetSocketAddress("192.0.2.10", 80);
  final AtomicLong now = new AtomicLong();
  final List<BalancerEvent> events = new ArrayList<>();
  final InstantSource clock = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

  BalancerEngine engine(String yaml) {
    return new BalancerEngine(VirtualServiceYaml.parse("vs.yaml", yaml), now::get, clock, events::add);
  }

  static InetSocketAddress client(String ip) {
    return new InetSocketAddress(ip, 40000);
  }

  String pick(BalancerEngine e, String ip) {
    return e.select(client(ip), VIP).map(b -> b.serverId()).orElse("-");
  }

  static HealthEvent health(String id, HealthState from, HealthState to) {
    return new HealthEvent(id, from, to, OptionalInt.empty(), "probe", Instant.EPOCH);
  }

  @Test
  void persistenceKeepsANetworkOnOneServerUntilIdleForTheTimeout() {
    BalancerEngine e = engine("""
        name: web
        listen: 192.0.2.10:80
        scheduler: rr
        persistence: {timeout: 60s, netmask: 24}
        real-servers: [{address: 10.0.0.1:80}, {address: 10.0.0.2:80}]
        """);
    String first = pick(e, "198.51.100.7");
    assertThat(pick(e, "198.51.100.8")).isEqualTo(first);
    assertThat(pick(e, "203.0.113.1")).isNotEqualTo(first);
    now.addAndGet(61 * SEC);
    // binding expired: rr continues its turn instead of the old binding
    assertThat(pick(e, "198.51.100.7")).isEqualTo(first);
    assertThat(pick(e, "198.51.100.200")).isEqualTo(first);
  }

  @Test
  void failedServerIsRemovedAndItsPersistentClientsMove() {
    BalancerEngine e = engine("""
        name: web
        listen: 192.0.2.10:80
        scheduler: rr
        persistence: {timeout: 300s}
        real-servers: [{address: 10.0.0.1:80}, {address: 10.0.0.2:80}]
        """);
    assertThat(pick(e, "198.51.100.7")).isEqualTo("10.0.0.1:80");
    e.onHealth(health("10.0.0.1:80", HealthState.UP, HealthState.DOWN));
    assertThat(pick(e, "198.51.100.7")).isEqualTo("10.0.0.2:80");
    assertThat(events).hasAtLeastOneElementOfType(BalancerEvent.RealServerDown.class);
    e.onHealth(health("10.0.0.1:80", HealthState.DOWN, HealthState.UP));
    assertThat(pick(e, "203.0.113.9")).isEqualTo("10.0.0.1:80");
  }

  @Test
  void quiescedServerStaysListedAtWeightZero() {
    BalancerEngine e = engine("""
        name: web
        listen: 192.0.2.10:80
        scheduler: rr
        on-failure: quiesce
        real-servers: [{address: 10.0.0.1:80}, {address: 10.0.0.2:80}]
        """);
    e.onHealth(health("10.0.0.1:80", HealthState.UP, HealthState.DOWN));
    for (int i = 0; i < 4; i++) {
      assertThat(pick(e, "198.51.100." + i)).isEqualTo("10.0.0.2:80");
    }
    assertThat(e.status()).filteredOn(s -> s.server().equals("10.0.0.1:80"))
        .singleElement().extracting(ServerStatus::health).isEqualTo(HealthState.DOWN);
    var down = (BalancerEvent.RealServerDown) events.get(0);
    assertThat(down.action()).isEqualTo(VirtualService.OnFailure.QUIESCE);
  }

  @Test
  void noServerLeftReportsTheSorryServerOnceAndUsesIt() {
    BalancerEngine e = engine("""
        name: web
        listen: 192.0.2.10:80
        sorry-server: 10.0.9.9:80
        real-servers: [{address: 10.0.0.1:80}]
        """);
    e.onHealth(health("10.0.0.1:80", HealthState.UP, HealthState.DOWN));
    assertThat(pick(e, "198.51.100.1")).isEqualTo("sorry 10.0.9.9:80");
    assertThat(pick(e, "198.51.100.2")).isEqualTo("sorry 10.0.9.9:80");
    assertThat(events).filteredOn(ev -> ev instanceof BalancerEvent.SorryServerActive).hasSize(1);
    e.onHealth(health("10.0.0.1:80", HealthState.DOWN, HealthState.UP));
    assertThat(pick(e, "198.51.100.3")).isEqualTo("10.0.0.1:80");
    assertThat(events).hasAtLeastOneElementOfType(BalancerEvent.SorryServerInactive.class);
  }

  @Test
  void dynamicWeightFromAScriptCheckChangesTheShare() {
    BalancerEngine e = engine("""
        name: web
        listen: 192.0.2.10:80
        scheduler: wrr
        real-servers: [{address: 10.0.0.1:80, weight: 1}, {address: 10.0.0.2:80, weight: 1}]
        """);
    e.onHealth(new HealthEvent("10.0.0.2:80", HealthState.UP, HealthState.UP, OptionalInt.of(3), "exit 5", Instant.EPOCH));
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      picks.add(pick(e, "198.51.100.1"));
    }
    assertThat(picks).filteredOn("10.0.0.2:80"::equals).hasSize(6);
    assertThat(events).singleElement().isInstanceOf(BalancerEvent.WeightChanged.class);
  }
}
