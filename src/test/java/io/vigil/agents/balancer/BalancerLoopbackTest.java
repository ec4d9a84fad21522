package io.vigil.agents.balancer;

import static io.vigil.agents.balancer.TestServices.connect;
import static io.vigil.agents.balancer.TestServices.names;
import static io.vigil.agents.balancer.TestServices.rs;
import static io.vigil.agents.balancer.TestServices.vs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.balancer.health.CheckSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole balancer (engine, checks, Netty proxy) with real sockets on loopback. */
class BalancerLoopbackTest {
  final List<AutoCloseable> cleanup = new ArrayList<>();
  final List<BalancerEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanup.reversed()) {
      c.close();
    }
  }

  LoopbackServer server(String name) throws IOException {
    LoopbackServer s = LoopbackServer.identifying(name, 0);
    cleanup.add(s);
    return s;
  }

  InetSocketAddress run(VirtualService vs) throws Exception {
    Balancer b = new Balancer(vs, events::add);
    cleanup.add(b);
    return b.start();
  }

  static Map<String, Long> count(List<String> names) {
    return names.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void idleConnectionsAreClosedAfterTheIdleTimeoutButBusyOnesAreNot() throws Exception {
    var a = server("a");
    VirtualService base = vs("rr", List.of(rs(a, 1)));
    var p = base.proxy();
    var proxy = run(new VirtualService(base.name(), base.listen(), base.mode(), base.protocol(), base.scheduler(),
        base.schedulerOptions(), base.persistence(), base.realServers(), base.check(), base.onFailure(),
        base.sorryServer(), base.sourceRules(),
        new VirtualService.ProxySettings(p.threads(), p.connectTimeout(), p.transport(), Duration.ofMillis(300))));
    try (var idle = connect(proxy, null); var busy = connect(proxy, null)) {
      java.util.concurrent.atomic.AtomicBoolean idleClosed = new java.util.concurrent.atomic.AtomicBoolean();
      Thread.ofVirtual().start(() -> {
        try {
          idleClosed.set(idle.reader().read() == -1);
        } catch (IOException e) {
          // reset or timeout: not the clean close this test expects
        }
      });
      // each poll sends traffic on "busy" (every 100 ms, under the 300 ms timeout)
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
        assertThat(busy.echo("ping")).isEqualTo("ping");
        return idleClosed.get();
      });
      assertThat(busy.echo("still")).isEqualTo("still");
    }
  }

  @Test
  void aTakenPortIsAClearError() throws Exception {
    var a = server("a");
    VirtualService base = vs("rr", List.of(rs(a, 1)));
    var taken = new VirtualService(base.name(), a.address(), base.mode(), base.protocol(), base.scheduler(),
        base.schedulerOptions(), base.persistence(), base.realServers(), base.check(), base.onFailure(),
        base.sorryServer(), base.sourceRules(), base.proxy());
    try (Balancer b = new Balancer(taken, events::add)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(b::start)
          .hasMessageContaining("cannot listen on " + a.address())
          .hasMessageContaining("in use");
    }
  }

  @Test
  void rrSpreadsRealConnectionsEvenly() throws Exception {
    var a = server("a");
    var b = server("b");
    var c = server("c");
    var proxy = run(vs("rr", List.of(rs(a, 1), rs(b, 1), rs(c, 1))));
    assertThat(count(names(proxy, 30))).containsExactlyInAnyOrderEntriesOf(Map.of("a", 10L, "b", 10L, "c", 10L));
  }

  @Test
  void wrrSpreadsRealConnectionsByWeight() throws Exception {
    var a = server("a");
    var b = server("b");
    var c = server("c");
    var proxy = run(vs("wrr", List.of(rs(a, 1), rs(b, 2), rs(c, 3))));
    assertThat(count(names(proxy, 24))).containsExactlyInAnyOrderEntriesOf(Map.of("a", 4L, "b", 8L, "c", 12L));
  }

  @Test
  void wlcSpreadsHeldConnectionsByWeight() throws Exception {
    var a = server("a");
    var b = server("b");
    var proxy = run(vs("wlc", List.of(rs(a, 1), rs(b, 3))));
    List<TestServices.Client> held = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        held.add(connect(proxy, null));
      }
      assertThat(count(held.stream().map(TestServices.Client::name).toList()))
          .containsExactlyInAnyOrderEntriesOf(Map.of("a", 5L, "b", 15L));
    } finally {
      for (var c : held) {
        c.close();
      }
    }
  }

  @Test
  void shKeepsEachClientAddressOnOneServer() throws Exception {
    var a = server("a");
    var b = server("b");
    var c = server("c");
    var proxy = run(vs("sh", List.of(rs(a, 1), rs(b, 1), rs(c, 1))));
    Map<String, String> serverOf = new HashMap<>();
    for (int client = 2; client < 22; client++) {
      String source = "127.0.0." + client;
      for (int i = 0; i < 3; i++) {
        try (var conn = connect(proxy, source)) {
          String previous = serverOf.putIfAbsent(source, conn.name());
          assertThat(conn.name()).as("client %s", source).isEqualTo(previous == null ? conn.name() : previous);
        }
      }
    }
    assertThat(new HashSet<>(serverOf.values())).hasSizeGreaterThan(1);
  }

  @Test
  void persistenceKeepsAClientOnItsServerAcrossConnections() throws Exception {
    var a = server("a");
    var b = server("b");
    VirtualService base = vs("rr", List.of(rs(a, 1), rs(b, 1)));
    var proxy = run(new VirtualService(base.name(), base.listen(), base.mode(), base.protocol(), base.scheduler(),
        base.schedulerOptions(), Optional.of(new VirtualService.Persistence(Duration.ofMinutes(5), 32, 128)),
        base.realServers(), base.check(), base.onFailure(), base.sorryServer(), base.sourceRules(), base.proxy()));
    Map<String, List<String>> seen = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      for (String client : List.of("127.0.0.2", "127.0.0.3")) {
        try (var c = connect(proxy, client)) {
          seen.computeIfAbsent(client, k -> new ArrayList<>()).add(c.name());
        }
      }
    }
    assertThat(seen.get("127.0.0.2")).containsOnly(seen.get("127.0.0.2").get(0));
    assertThat(seen.get("127.0.0.3")).containsOnly(seen.get("127.0.0.3").get(0));
    assertThat(seen.get("127.0.0.2").get(0)).isNotEqualTo(seen.get("127.0.0.3").get(0));
  }

  @Test
  void killedBackendGetsNoNewConnectionsAfterIntervalTimesFallAndReturnsAfterRise() throws Exception {
    var a = server("a");
    var b = server("b");
    int aPort = a.port();
    Duration interval = Duration.ofMillis(100);
    var check = new VirtualService.Check(new CheckSpec.Tcp(),
        new CheckSpec.CheckPolicy(interval, Duration.ofMillis(500), 2, 3, false));
    VirtualService base = vs("rr", List.of(rs(a, 1), rs(b, 1)));
    var proxy = run(withCheck(base, check));
    assertThat(count(names(proxy, 4))).containsEntry("a", 2L);

    Instant killed = Instant.now();
    a.kill();
    await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e instanceof BalancerEvent.RealServerDown));
    var down = (BalancerEvent.RealServerDown) events.stream().filter(e -> e instanceof BalancerEvent.RealServerDown).findFirst().orElseThrow();
    assertThat(down.server()).isEqualTo("127.0.0.1:" + aPort);
    // fall consecutive failures at one per interval, plus one probe timeout of slack
    assertThat(Duration.between(killed, down.at())).isLessThan(interval.multipliedBy(3).plusSeconds(2));
    assertThat(names(proxy, 10)).containsOnly("b");

    var revived = LoopbackServer.identifying("a", aPort);
    cleanup.add(revived);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e instanceof BalancerEvent.RealServerUp));
    assertThat(names(proxy, 10)).contains("a", "b");
  }

  @Test
  void upperThresholdStopsNewConnectionsUntilBelowTheLowerOne() throws Exception {
    var a = server("a");
    var b = server("b");
    var spec = new VirtualService.RealServerSpec(a.address(), 1, 2, 1, VirtualService.DEFAULT_POOL, VirtualService.Forwarding.NAT);
    var proxy = run(vs("rr", List.of(spec, rs(b, 1))));
    List<TestServices.Client> held = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        held.add(connect(proxy, null));
      }
      assertThat(held).extracting(TestServices.Client::name).containsExactly("a", "b", "a", "b", "b", "b");
      held.get(0).close();
      // one connection left on a: still overloaded until below the lower threshold (1)
      await().atMost(Duration.ofSeconds(5)).until(() -> a.openConnections() == 1);
      assertThat(names(proxy, 2)).containsOnly("b");
      held.get(2).close();
      await().atMost(Duration.ofSeconds(5)).until(() -> a.openConnections() == 0);
      assertThat(names(proxy, 2)).contains("a");
    } finally {
      for (var c : held) {
        c.close();
      }
    }
  }

  @Test
  void drainKeepsExistingConnectionsAndSendsNewOnesElsewhere() throws Exception {
    var a = server("a");
    var b = server("b");
    Balancer bal = new Balancer(vs("rr", List.of(rs(a, 1), rs(b, 1))), events::add);
    cleanup.add(bal);
    var proxy = bal.start();
    try (var existing = connect(proxy, null)) {
      assertThat(existing.name()).isEqualTo("a");
      bal.engine().setWeight("127.0.0.1:" + a.port(), 0, "drain for maintenance");
      assertThat(names(proxy, 6)).containsOnly("b");
      assertThat(existing.echo("still here")).isEqualTo("still here");
    }
    assertThat(events).anyMatch(e -> e instanceof BalancerEvent.WeightChanged w && w.to() == 0);
  }

  @Test
  void aGracefulStopRefusesNewClientsClosesIdleOnesAndLetsBusyOnesFinish() throws Exception {
    Balancer bal = oneServerBalancer();
    var proxy = bal.address();
    var idle = connect(proxy, null);
    var busy = connect(proxy, null);
    var stopped = new java.util.concurrent.CompletableFuture<Balancer.Drained>();
    Thread.ofVirtual().start(() -> {
      try {
        stopped.complete(bal.stop(Duration.ofSeconds(30), Duration.ofMillis(400)));
      } catch (Throwable t) {
        stopped.completeExceptionally(t);
      }
    });
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(bal.listening()).isFalse());
    assertRefused(proxy);
    // the busy client goes on exchanging lines (bounded: 12 round trips 50 ms apart)
    for (int i = 0; i < 12; i++) {
      assertThat(busy.echo("line " + i)).isEqualTo("line " + i);
      Thread.sleep(50);
    }
    assertThat(idle.reader().read()).as("the idle one was closed meanwhile").isEqualTo(-1);
    assertThat(stopped).as("the busy one keeps the drain going").isNotDone();

    // once it is quiet too, it is closed and the stop ends long before its 30 s
    Balancer.Drained d = stopped.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(d.openAtStop()).isEqualTo(2);
    assertThat(d.closedAtTimeout()).isZero();
    assertThat(busy.reader().read()).isEqualTo(-1);
    idle.close();
    busy.close();
  }

  @Test
  void connectionsStillOpenAtTheDrainTimeoutAreClosed() throws Exception {
    Balancer bal = oneServerBalancer();
    try (var lingering = connect(bal.address(), null)) {
      Balancer.Drained d = bal.stop(Duration.ofMillis(200), Duration.ofMinutes(1));
      assertThat(d.openAtStop()).isEqualTo(1);
      assertThat(d.closedAtTimeout()).isEqualTo(1);
      assertThat(lingering.reader().read()).as("the proxy closed it").isEqualTo(-1);
    }
  }

  /** A started rr balancer in front of one real server "a". */
  Balancer oneServerBalancer() throws Exception {
    Balancer bal = new Balancer(vs("rr", List.of(rs(server("a"), 1))), events::add);
    cleanup.add(bal);
    bal.start();
    return bal;
  }

  static void assertRefused(InetSocketAddress a) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      try (Socket s = new Socket()) {
        s.connect(a, 2000);
      }
    }).isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void sorryServerTakesClientsWhenNoRealServerIsUp() throws Exception {
    var a = server("a");
    var sorry = server("sorry");
    int aPort = a.port();
    a.kill();
    var check = new VirtualService.Check(new CheckSpec.Tcp(),
        new CheckSpec.CheckPolicy(Duration.ofMillis(50), Duration.ofMillis(500), 1, 1, false));
    VirtualService base = withCheck(vs("wlc", List.of(rs(aPort, 1, VirtualService.DEFAULT_POOL))), check);
    var withSorry = new VirtualService(base.name(), base.listen(), base.mode(), base.protocol(), base.scheduler(), base.schedulerOptions(),
        base.persistence(), base.realServers(), base.check(), base.onFailure(), Optional.of(sorry.address()),
        base.sourceRules(), base.proxy());
    var proxy = run(withSorry);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e instanceof BalancerEvent.RealServerDown));
    assertThat(names(proxy, 3)).containsOnly("sorry");
    assertThat(events).anyMatch(e -> e instanceof BalancerEvent.SorryServerActive s && s.configured());
  }

  @Test
  void clientsFromEmployeeNetworksReachTheCanaryPool() throws Exception {
    var stable = server("stable");
    var canary = server("canary");
    VirtualService base = vs("rr", List.of(rs(stable, 1), rs(canary.port(), 1, "canary")));
    var rules = List.of(new VirtualService.SourceRule(List.of(Cidr.parse("127.0.0.77/32")), "canary"));
    var proxy = run(new VirtualService(base.name(), base.listen(), base.mode(), base.protocol(), base.scheduler(), base.schedulerOptions(),
        base.persistence(), base.realServers(), base.check(), base.onFailure(), base.sorryServer(), rules, base.proxy()));
    for (int i = 0; i < 3; i++) {
      try (var employee = connect(proxy, "127.0.0.77"); var customer = connect(proxy, "127.0.0.5")) {
        assertThat(employee.name()).isEqualTo("canary");
        assertThat(customer.name()).isEqualTo("stable");
      }
    }
  }

  @Test
  void garbageAndAbruptResetsDoNotHurtTheProxy() throws Exception {
    var a = server("a");
    Balancer bal = new Balancer(vs("rr", List.of(rs(a, 1))), events::add);
    cleanup.add(bal);
    var proxy = bal.start();
    byte[] garbage = new byte[64 * 1024];
    new java.util.Random(7).nextBytes(garbage);
    for (int i = 0; i < 50; i++) {
      try (Socket s = new Socket()) {
        s.connect(proxy, 2000);
        if (i % 2 == 0) {
          s.getOutputStream().write(garbage, 0, 1 + (i * 997) % garbage.length);
        }
        s.setSoLinger(true, 0); // close with RST
      }
    }
    // the backend resets too, with data in flight
    try (var c = connect(proxy, null)) {
      a.kill();
      assertThat(c.reader().read()).isEqualTo(-1);
    } catch (java.net.SocketException expected) {
      // connection reset propagated: also fine
    }
    var b = LoopbackServer.identifying("a", a.port());
    cleanup.add(b);
    assertThat(names(proxy, 3)).containsOnly("a");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      var st = bal.engine().status().get(0);
      assertThat(st.active()).isZero();
      assertThat(st.inactive()).isZero();
    });
  }

  static VirtualService withCheck(VirtualService base, VirtualService.Check check) {
    return new VirtualService(base.name(), base.listen(), base.mode(), base.protocol(), base.scheduler(), base.schedulerOptions(),
        base.persistence(), base.realServers(), Optional.of(check), base.onFailure(), base.sorryServer(),
        base.sourceRules(), base.proxy());
  }

  /** Reads everything until EOF. */
  static long drain(InputStream in, java.security.MessageDigest md) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      md.update(buf, 0, n);
      total += n;
    }
    return total;
  }

  static void writePattern(OutputStream out, long size, long seed, java.security.MessageDigest md) throws IOException {
    java.util.Random r = new java.util.Random(seed);
    byte[] buf = new byte[64 * 1024];
    for (long left = size; left > 0; ) {
      r.nextBytes(buf);
      int n = (int) Math.min(buf.length, left);
      out.write(buf, 0, n);
      md.update(buf, 0, n);
      left -= n;
    }
    out.flush();
  }

  static InetAddress lo() {
    return InetAddress.getLoopbackAddress();
  }
}
