package io.vigil.agents.balancer.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.agents.balancer.VirtualService;
import io.vigil.agents.balancer.VirtualServiceYaml;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpvsCommandsTest {
  static VirtualService parse(String yaml) {
    return VirtualServiceYaml.parse("vs.yaml", yaml);
  }

  /** The seed's mail service: lblc with persistence, one masqueraded and one direct-routed server. */
  static final VirtualService SEED = parse("""
      name: mail
      listen: 10.0.0.5:25
      mode: ipvs
      scheduler: lblc
      persistence: {timeout: 300s}
      real-servers:
        - {address: 10.0.1.5:26, forwarding: nat}
        - {address: 10.0.1.6:25, forwarding: dr, weight: 2}
        - {address: 10.0.1.7:25, forwarding: tun, upper-threshold: 200, lower-threshold: 100}
      """);

  @Test
  void createsTheServiceThenEachRealServerWithItsForwardingMethod() {
    assertThat(IpvsCommands.create(SEED)).containsExactly(
        List.of("ipvsadm", "-A", "-t", "10.0.0.5:25", "-s", "lblc", "-p", "300"),
        List.of("ipvsadm", "-a", "-t", "10.0.0.5:25", "-r", "10.0.1.5:26", "-m", "-w", "1"),
        List.of("ipvsadm", "-a", "-t", "10.0.0.5:25", "-r", "10.0.1.6:25", "-g", "-w", "2"),
        List.of("ipvsadm", "-a", "-t", "10.0.0.5:25", "-r", "10.0.1.7:25", "-i", "-w", "1", "-x", "200", "-y", "100"));
  }

  @Test
  void persistenceNetmaskFlagsUdpAndIpv6() {
    var v4 = parse("""
        name: dns
        listen: 192.0.2.53:53
        mode: ipvs
        protocol: udp
        scheduler: sh
        scheduler-flags: [sh-fallback, sh-port]
        persistence: {timeout: 90s, netmask: 24}
        real-servers: [{address: 10.0.0.1:53}]
        """);
    assertThat(IpvsCommands.addService(v4)).containsExactly(
        "ipvsadm", "-A", "-u", "192.0.2.53:53", "-s", "sh", "-b", "sh-fallback,sh-port", "-p", "90", "-M", "255.255.255.0");
    var v6 = parse("""
        name: web6
        listen: "[2001:db8::80]:443"
        mode: ipvs
        persistence: {ipv6-prefix: 64}
        real-servers: [{address: "[2001:db8:1::5]:443", forwarding: dr}]
        """);
    assertThat(IpvsCommands.create(v6)).containsExactly(
        List.of("ipvsadm", "-A", "-t", "[2001:db8::80]:443", "-s", "wlc", "-p", "300", "-M", "64"),
        List.of("ipvsadm", "-a", "-t", "[2001:db8::80]:443", "-r", "[2001:db8:1::5]:443", "-g", "-w", "1"));
  }

  @Test
  void healthChangesRemoveOrQuiesceAsConfigured() {
    var rs = SEED.realServers().get(1);
    assertThat(IpvsCommands.onHealthChange(SEED, rs, false, 2))
        .containsExactly("ipvsadm", "-d", "-t", "10.0.0.5:25", "-r", "10.0.1.6:25");
    assertThat(IpvsCommands.onHealthChange(SEED, rs, true, 2))
        .containsExactly("ipvsadm", "-a", "-t", "10.0.0.5:25", "-r", "10.0.1.6:25", "-g", "-w", "2");
    var quiesce = new VirtualService(SEED.name(), SEED.listen(), SEED.mode(), SEED.protocol(), SEED.scheduler(),
        SEED.schedulerOptions(), SEED.persistence(), SEED.realServers(), SEED.check(), VirtualService.OnFailure.QUIESCE,
        SEED.sorryServer(), SEED.sourceRules(), SEED.proxy());
    assertThat(IpvsCommands.onHealthChange(quiesce, rs, false, 2))
        .containsExactly("ipvsadm", "-e", "-t", "10.0.0.5:25", "-r", "10.0.1.6:25", "-g", "-w", "0");
    assertThat(IpvsCommands.deleteService(SEED)).containsExactly("ipvsadm", "-D", "-t", "10.0.0.5:25");
  }

  @Test
  void sorryServerIsAMasqueradedRealServer() {
    var vs = parse("""
        name: web
        listen: 192.0.2.10:80
        mode: ipvs
        sorry-server: 10.0.9.9:8080
        real-servers: [{address: 10.0.0.1:80}]
        """);
    assertThat(IpvsCommands.sorryServer(vs, true))
        .containsExactly("ipvsadm", "-a", "-t", "192.0.2.10:80", "-r", "10.0.9.9:8080", "-m", "-w", "1");
    assertThatThrownBy(() -> IpvsCommands.sorryServer(SEED, true)).hasMessageContaining("has no sorry server");
  }

  @Test
  void failedCreationIsRolledBack() {
    List<List<String>> ran = new ArrayList<>();
    CommandRunner failingThird = argv -> {
      ran.add(argv);
      if (ran.size() == 3) {
        throw new IOException("ipvsadm: Memory allocation problem");
      }
    };
    assertThatThrownBy(() -> new IpvsApplier(failingThird).create(SEED))
        .hasMessageContaining("virtual service mail: IPVS programming failed and was rolled back");
    assertThat(ran.getLast()).containsExactly("ipvsadm", "-D", "-t", "10.0.0.5:25");
  }

  @Test
  void realRunnerReportsExitCodeAndOutputWithoutAShell() throws Exception {
    CommandRunner real = CommandRunner.processes(Duration.ofSeconds(5));
    real.run(List.of("/bin/true"));
    assertThatThrownBy(() -> real.run(List.of("/bin/sh", "-c", "echo 'no ip_vs module' >&2; exit 2")))
        .hasMessageContaining("exit 2: no ip_vs module");
    // an argument with shell metacharacters stays one argument
    real.run(List.of("/usr/bin/test", "a;b", "=", "a;b"));
  }
}
