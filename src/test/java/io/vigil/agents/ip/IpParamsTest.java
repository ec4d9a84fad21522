package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpParamsTest {

  @Test
  void parsesAddressWithPrefixAndDefaults() {
    IpParams p = IpParams.parse("vip", Map.of("address", "10.77.0.100/24", "interface", "eth0"));
    assertThat(Addresses.text(p.address())).isEqualTo("10.77.0.100");
    assertThat(p.prefix()).isEqualTo(24);
    assertThat(p.announceCount()).isEqualTo(5);
    assertThat(p.announceInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(p.probe()).isTrue();
    assertThat(p.netns()).isEmpty();
    assertThat(p.notes()).isEmpty();
    assertThat(p.describe()).isEqualTo("10.77.0.100/24 on eth0");
  }

  @Test
  void loopbackAlwaysGetsFullLengthPrefixWithANote() {
    IpParams v4 = IpParams.parse("dr", Map.of("address", "10.0.0.5/24", "interface", "lo"));
    assertThat(v4.prefix()).isEqualTo(32);
    assertThat(v4.notes()).singleElement().asString().contains("using /32 instead of /24");
    IpParams v6 = IpParams.parse("dr6", Map.of("address", "2001:db8::5", "prefix", "64", "interface", "lo"));
    assertThat(v6.prefix()).isEqualTo(128);
    assertThat(v6.notes()).singleElement().asString().contains("/128 instead of /64");
  }

  @Test
  void missingPrefixDefaultsToHostRouteAndSaysSo() {
    IpParams p = IpParams.parse("vip", Map.of("address", "192.0.2.7", "interface", "eth0"));
    assertThat(p.prefix()).isEqualTo(32);
    assertThat(p.notes()).singleElement().asString().contains("no prefix given");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> IpParams.parse("vip", Map.of(
            "address", "not-an-ip", "announce-count", "-1", "announce-interval", "200", "colour", "red")))
        .isInstanceOf(InvalidParamsException.class)
        .hasMessageContaining("ip resource 'vip'")
        .hasMessageContaining("unknown parameter 'colour'")
        .hasMessageContaining("'not-an-ip' is not an IP address literal")
        .hasMessageContaining("missing required parameter 'interface'")
        .hasMessageContaining("announce-count: -1 is out of range, expected 0..100")
        .hasMessageContaining("announce-interval: 3m20s is out of range, expected 10ms..10s");
  }

  @Test
  void rejectsConflictingPrefixesAndUnfloatableAddresses() {
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "10.0.0.5/24", "prefix", "25", "interface", "eth0")))
        .hasMessageContaining("address has /24 but prefix is 25");
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "127.0.0.2", "interface", "eth0")))
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "fe80::1/64", "interface", "eth0")))
        .hasMessageContaining("link-local");
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "10.77.0.255/24", "interface", "eth0")))
        .hasMessageContaining("broadcast address of its /24 subnet");
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "10.77.0.0/24", "interface", "eth0")))
        .hasMessageContaining("network address");
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "10.77.0.1/33", "interface", "eth0")))
        .hasMessageContaining("prefix /33 is out of range");
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "::ffff:10.0.0.1", "interface", "eth0")))
        .hasMessageContaining("IPv4-mapped");
  }

  @Test
  void neverResolvesNames() {
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "localhost", "interface", "eth0")))
        .hasMessageContaining("not an IP address literal");
  }

  @Test
  void labelsArePrefixedWithTheDeviceAndIpv4Only() {
    IpParams p = IpParams.parse("a", Map.of("address", "10.0.0.5/24", "interface", "eth0", "label", "web"));
    assertThat(p.label()).contains("eth0:web");
    assertThat(IpParams.parse("a", Map.of("address", "10.0.0.5/24", "interface", "eth0", "label", "eth0:web")).label())
        .contains("eth0:web");
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "2001:db8::5/64", "interface", "eth0", "label", "x")))
        .hasMessageContaining("labels exist only for IPv4");
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "10.0.0.5/24", "interface", "eth0", "label", "muchtoolongname")))
        .hasMessageContaining("at most 15 characters");
  }

  @Test
  void rejectsShellMetacharactersInNamesBeforeAnyCommandIsBuilt() {
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "10.0.0.5", "interface", "eth0;reboot")))
        .hasMessageContaining("interface: 'eth0;reboot' is not valid");
    assertThatThrownBy(() -> IpParams.parse("a", Map.of("address", "10.0.0.5", "interface", "eth0", "netns", "../x")))
        .hasMessageContaining("netns: '../x' is not valid");
  }

  @Test
  void everyKeyHasADocAndDefaultText() {
    assertThat(IpConfigKeys.ALL).allSatisfy(k -> {
      assertThat(k.doc()).isNotBlank();
      assertThat(k.defaultText()).isNotBlank();
    });
    assertThat(IpConfigKeys.ANNOUNCE_INTERVAL.defaultText()).isEqualTo("200ms");
  }
}
