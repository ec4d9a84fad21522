package io.vigil.agents.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.agents.balancer.health.CheckSpec;
import io.vigil.agents.balancer.proxy.ProxyServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VirtualServiceYamlTest {
  static final String FULL = """
      name: web
      listen: 192.0.2.10:80
      scheduler: sh
      scheduler-flags: [sh-fallback, sh-port]
      persistence:
        timeout: 600s
        netmask: 255.255.255.0
      on-failure: quiesce
      sorry-server: 10.0.0.99:80
      check:
        type: http
        path: /health
        virtual-host: www.example.com
        status: [200-299, 301]
        body-regex: "ok"
        interval: 2s
        timeout: 500ms
        rise: 2
        fall: 3
      real-servers:
        - address: 10.0.0.1:8080
          weight: 3
          upper-threshold: 100
          lower-threshold: 50
        - address: "[2001:db8::2]:8080"
        - address: 10.0.0.3:8080
          pool: canary
      source-rules:
        - networks: [10.1.0.0/16, 2001:db8:1::/48]
          pool: canary
      proxy:
        threads: 1
        connect-timeout: 2s
      """;

  @Test
  void readsACompleteVirtualService() {
    VirtualService vs = VirtualServiceYaml.parse("vs.yaml", FULL);
    assertThat(vs.name()).isEqualTo("web");
    assertThat(vs.listen().getPort()).isEqualTo(80);
    assertThat(vs.scheduler()).isEqualTo("sh");
    assertThat(vs.schedulerOptions().fallback()).isTrue();
    assertThat(vs.schedulerOptions().hashPort()).isTrue();
    assertThat(vs.persistence().orElseThrow().ipv4Prefix()).isEqualTo(24);
    assertThat(vs.persistence().orElseThrow().timeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(vs.onFailure()).isEqualTo(VirtualService.OnFailure.QUIESCE);
    assertThat(vs.realServers()).extracting(VirtualService.RealServerSpec::id)
        .containsExactly("10.0.0.1:8080", "[2001:db8::2]:8080", "10.0.0.3:8080");
    assertThat(vs.realServers().get(0).upperThreshold()).isEqualTo(100);
    assertThat(vs.realServers().get(1).weight()).isEqualTo(1);
    var check = vs.check().orElseThrow();
    assertThat(check.spec()).isInstanceOf(CheckSpec.Http.class);
    assertThat(((CheckSpec.Http) check.spec()).statusRanges()).hasSize(2);
    assertThat(check.policy().timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(vs.sourceRules().get(0).networks()).hasSize(2);
    assertThat(vs.proxy().threads()).isEqualTo(1);
  }

  @Test
  void transportIsIoUringUnlessEpollOrNioIsNamed() {
    String base = """
        name: web
        listen: 192.0.2.10:80
        real-servers: [{address: 10.0.0.1:80}]
        """;
    assertThat(VirtualServiceYaml.parse("vs.yaml", base).proxy().transport()).isEqualTo(ProxyServer.Transport.IO_URING);
    assertThat(VirtualServiceYaml.parse("vs.yaml", base + "proxy: {transport: epoll}\n").proxy().transport())
        .isEqualTo(ProxyServer.Transport.EPOLL);
    assertThat(VirtualServiceYaml.parse("vs.yaml", base + "proxy: {transport: nio}\n").proxy().transport())
        .isEqualTo(ProxyServer.Transport.NIO);
    rejects(base + "proxy: {transport: kqueue}\n", "vs.yaml:4:20", "proxy.transport: unknown value 'kqueue'", "expected one of epoll, io_uring, nio");
  }

  @Test
  void formatsIpv6Short() throws Exception {
    assertThat(Cidr.format(java.net.InetAddress.getByName("2001:db8:0:0:1:0:0:2"))).isEqualTo("2001:db8::1:0:0:2");
    assertThat(Cidr.format(java.net.InetAddress.getByName("::1"))).isEqualTo("::1");
    assertThat(Cidr.format(java.net.InetAddress.getByName("fe80::"))).isEqualTo("fe80::");
    assertThat(Cidr.format(java.net.InetAddress.getByName("2001:db8:1:2:3:4:5:6"))).isEqualTo("2001:db8:1:2:3:4:5:6");
  }

  static void rejects(String yaml, String... fragments) {
    var thrown = assertThatThrownBy(() -> VirtualServiceYaml.parse("vs.yaml", yaml)).isInstanceOf(ConfigException.class);
    for (String f : fragments) {
      thrown.hasMessageContaining(f);
    }
  }

  @Test
  void unknownKeyIsReportedWithPositionAndSuggestion() {
    rejects("""
        name: web
        listen: 192.0.2.10:80
        schedular: rr
        real-servers: [{address: 10.0.0.1:80}]
        """, "vs.yaml:3:1", "unknown key 'schedular'", "did you mean 'scheduler'");
  }

  @Test
  void badValuesSayWhereAndWhatWasExpected() {
    rejects("""
        name: web
        listen: 192.0.2.10:80
        real-servers:
          - address: 10.0.0.1:80
            weight: heavy
        """, "vs.yaml:5:13", "real-servers[0].weight", "expected an integer in 0..65535, got 'heavy'");
    rejects("""
        name: web
        listen: 192.0.2.10:80
        scheduler: fastest
        real-servers: [{address: 10.0.0.1:80}]
        """, "unknown scheduler 'fastest'", "wlc, rr");
    rejects("""
        name: web
        listen: www.example.com:80
        real-servers: [{address: 10.0.0.1:80}]
        """, "vs.yaml:2:9", "is not an IP address literal");
  }

  @Test
  void rulesMustNameExistingPoolsAndProperNetworks() {
    rejects("""
        name: web
        listen: 192.0.2.10:80
        real-servers: [{address: 10.0.0.1:80}]
        source-rules:
          - networks: [10.1.0.0/16]
            pool: canary
        """, "no real server is in pool 'canary'");
    rejects("""
        name: web
        listen: 192.0.2.10:80
        real-servers: [{address: 10.0.0.1:80}, {address: 10.0.0.2:80, pool: canary}]
        source-rules:
          - networks: [10.1.0.1/16]
            pool: canary
        """, "has host bits set, expected 10.1.0.0/16");
  }

  @Test
  void semanticErrorsAreCaught() {
    rejects("""
        name: web
        listen: 192.0.2.10:53
        protocol: udp
        real-servers: [{address: 10.0.0.1:53}]
        """, "udp is only supported in mode ipvs");
    rejects("""
        name: web
        listen: 192.0.2.10:80
        mode: ipvs
        real-servers: [{address: 10.0.0.1:8080, forwarding: dr}]
        """, "forwarding dr cannot change the port");
    rejects("""
        name: web
        listen: 192.0.2.10:80
        real-servers: [{address: 10.0.0.1:80}, {address: 10.0.0.1:80}]
        """, "listed twice");
    rejects("""
        name: web
        listen: 192.0.2.10:80
        persistence: {netmask: 255.0.255.0}
        real-servers: [{address: 10.0.0.1:80}]
        """, "not contiguous");
    rejects("""
        name: web
        listen: 192.0.2.10:80
        check: {type: script, command: [check.sh]}
        real-servers: [{address: 10.0.0.1:80}]
        """, "absolute program path");
    rejects("name: [web\n", "vs.yaml:", "YAML syntax error");
  }
}
