package io.vigil.agents.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.BuiltinAgents;
import io.vigil.agents.balancer.agent.BalancerSnapshot;
import io.vigil.agents.balancer.agent.RunningBalancers;
import io.vigil.exec.BuiltinAgent;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfRc;
import io.vigil.model.AgentRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code builtin:balancer} through the executor's interface, with a real listener and real backends on loopback. */
class BalancerBuiltinAgentTest {
  @TempDir Path dir;
  final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
  final RunningBalancers running = new RunningBalancers((r, e) -> events.add(r + " " + e), InstantSource.system());
  final List<AutoCloseable> cleanup = new ArrayList<>();
  BuiltinAgent agent;
  String out;

  @BeforeEach
  void setUp() {
    agent = BuiltinAgents.all(dir.resolve("state"), running, null).find("balancer").orElseThrow();
  }

  @AfterEach
  void tearDown() throws Exception {
    running.close();
    for (AutoCloseable c : cleanup.reversed()) c.close();
  }

  int run(String action, String resource, Map<String, String> params) throws Exception {
    return runWithTimeout(action, resource, params, Duration.ofSeconds(20));
  }

  int runWithTimeout(String action, String resource, Map<String, String> params, Duration timeout) throws Exception {
    StringWriter w = new StringWriter();
    int rc = agent.run(Invocation.of(AgentRef.parse("builtin:balancer"), resource, action, params, timeout),
        new PrintWriter(w, true));
    out = w.toString();
    return rc;
  }

  Path config(int port, LoopbackServer... servers) throws Exception {
    return config(port, "proxy: {threads: 1}", servers);
  }

  Path config(int port, String proxy, LoopbackServer... servers) throws Exception {
    StringBuilder rs = new StringBuilder();
    for (LoopbackServer s : servers) rs.append("  - {address: 127.0.0.1:").append(s.port()).append("}\n");
    Path f = dir.resolve("vs-" + port + ".yaml");
    Files.writeString(f, "name: web\nlisten: 127.0.0.1:" + port + "\nscheduler: rr\nreal-servers:\n" + rs
        + proxy + "\n");
    return f;
  }

  LoopbackServer backend(String name) throws Exception {
    LoopbackServer s = LoopbackServer.identifying(name, 0);
    cleanup.add(s);
    return s;
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void startServesMonitorSaysRunningAndStopClosesTheListener() throws Exception {
    int port = freePort();
    Map<String, String> p = Map.of("config", config(port, backend("one"), backend("two")).toString());
    InetSocketAddress vip = new InetSocketAddress("127.0.0.1", port);

    assertThat(run("monitor", "lb", p)).as("probe before start").isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(run("start", "lb", p)).as(() -> out).isEqualTo(OcfRc.SUCCESS);
    assertThat(out).contains("started balancer web (resource lb) on 127.0.0.1:" + port);
    assertThat(TestServices.names(vip, 4)).containsExactlyInAnyOrder("one", "two", "one", "two");
    assertThat(run("monitor", "lb", p)).isEqualTo(OcfRc.SUCCESS);
    assertThat(out).contains("2/2 real servers up", "4 connections");

    assertThat(run("stop", "lb", p)).isEqualTo(OcfRc.SUCCESS);
    assertThat(run("monitor", "lb", p)).isEqualTo(OcfRc.NOT_RUNNING);
    assertThatRefused(vip);
  }

  @Test
  void stopDrainsForAtMostHalfItsTimeout() throws Exception {
    int port = freePort();
    Map<String, String> p = Map.of("config",
        config(port, "proxy: {threads: 1, drain-timeout: 30s, drain-quiet: 60s}", backend("one")).toString());
    assertThat(run("start", "lb", p)).as(() -> out).isEqualTo(OcfRc.SUCCESS);
    try (var open = TestServices.connect(new InetSocketAddress("127.0.0.1", port), null)) {
      assertThat(runWithTimeout("stop", "lb", p, Duration.ofSeconds(1))).isEqualTo(OcfRc.SUCCESS);
      assertThat(out).contains("1 of 1 open connections were still open after the drain", "were closed");
      assertThat(open.reader().read()).isEqualTo(-1);
    }
  }

  @Test
  void stopClosesAnIdleConnectionWithoutWaitingForTheDrainTimeout() throws Exception {
    int port = freePort();
    Map<String, String> p = Map.of("config",
        config(port, "proxy: {threads: 1, drain-timeout: 30s, drain-quiet: 100ms}", backend("one")).toString());
    assertThat(run("start", "lb", p)).as(() -> out).isEqualTo(OcfRc.SUCCESS);
    try (var idle = TestServices.connect(new InetSocketAddress("127.0.0.1", port), null)) {
      assertThat(run("stop", "lb", p)).isEqualTo(OcfRc.SUCCESS);
      assertThat(out).contains("1 open connections drained");
      assertThat(idle.reader().read()).isEqualTo(-1);
    }
  }

  @Test
  void secondStartKeepsTheOneListenerAndItsCounters() throws Exception {
    int port = freePort();
    Map<String, String> p = Map.of("config", config(port, backend("one")).toString());
    assertThat(run("start", "lb", p)).isEqualTo(OcfRc.SUCCESS);
    TestServices.names(new InetSocketAddress("127.0.0.1", port), 3);
    assertThat(run("start", "lb", p)).as(() -> out).isEqualTo(OcfRc.SUCCESS);
    assertThat(out).contains("already running");
    BalancerSnapshot s = running.snapshot("lb").orElseThrow();
    assertThat(s.totals().connections()).as("counters survive the second start").isEqualTo(3);
    assertThat(running.snapshots()).hasSize(1);
  }

  @Test
  void changedConfigurationIsRunOnTheNextStart() throws Exception {
    int port = freePort();
    Path f = config(port, backend("one"));
    Map<String, String> p = Map.of("config", f.toString());
    assertThat(run("start", "lb", p)).isEqualTo(OcfRc.SUCCESS);
    Files.copy(config(port, backend("two")), f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(run("start", "lb", p)).isEqualTo(OcfRc.SUCCESS);
    assertThat(out).contains("configuration changed, restarted");
    assertThat(TestServices.names(new InetSocketAddress("127.0.0.1", port), 2)).containsOnly("two");
  }

  @Test
  void stopOfWhatDoesNotRunSucceeds() throws Exception {
    assertThat(run("stop", "nothing", Map.of("config", "/nonexistent.yaml"))).isEqualTo(OcfRc.SUCCESS);
    assertThat(out).contains("was not running");
  }

  @Test
  void aTakenAddressFailsTheStartWithTheAddressInTheReason() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Map<String, String> p = Map.of("config", config(taken.getLocalPort(), backend("one")).toString());
      assertThat(run("start", "lb", p)).isEqualTo(OcfRc.ERR_GENERIC);
      assertThat(out).contains("ocf-exit-reason:balancer lb: cannot listen on", String.valueOf(taken.getLocalPort()));
      assertThat(running.snapshots()).isEmpty();
    }
  }

  @Test
  void badParametersAndFilesAreRefusedWithoutStartingAnything() throws Exception {
    assertThat(run("validate-all", "lb", Map.of())).isEqualTo(OcfRc.ERR_CONFIGURED);
    assertThat(out).contains("parameter config is missing");
    assertThat(run("start", "lb", Map.of("config", "relative.yaml"))).isEqualTo(OcfRc.ERR_CONFIGURED);
    assertThat(out).contains("expected an absolute path");
    assertThat(run("start", "lb", Map.of("config", dir.resolve("absent.yaml").toString()))).isEqualTo(OcfRc.ERR_INSTALLED);
    assertThat(out).contains("cannot read", "absent.yaml", "on this node");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: web\nlisten: 127.0.0.1:1\nschedular: rr\nreal-servers: [{address: 127.0.0.1:2}]\n");
    assertThat(run("validate-all", "lb", Map.of("config", bad.toString()))).isEqualTo(OcfRc.ERR_CONFIGURED);
    assertThat(out).contains("bad.yaml:3:1", "schedular");
    Path ipvs = dir.resolve("ipvs.yaml");
    Files.writeString(ipvs, "name: web\nlisten: 127.0.0.1:1\nmode: ipvs\nreal-servers: [{address: 127.0.0.1:2}]\n");
    if (!Files.exists(Path.of("/proc/net/ip_vs"))) { // this machine: no ip_vs module (mode ipvs itself: IpvsModeAgentTest)
      assertThat(run("start", "lb", Map.of("config", ipvs.toString()))).isEqualTo(OcfRc.ERR_INSTALLED);
      assertThat(out).contains("this kernel has no IPVS", "use mode proxy here");
    }
    assertThat(running.snapshots()).isEmpty();
  }

  @Test
  void metaDataDeclaresTheConfigParameterAndTheStandardActions() {
    assertThat(agent.metadataXml()).contains("<parameter name=\"config\" required=\"1\"", "action name=\"monitor\"",
        "action name=\"validate-all\"");
  }

  private static void assertThatRefused(InetSocketAddress a) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(a, 2000);
      }
    }).isInstanceOf(java.net.ConnectException.class);
  }
}
