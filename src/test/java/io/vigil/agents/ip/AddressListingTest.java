package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressListingTest {
  // Captured from `ip -n ipx-h1 -j addr show` (iproute2 6.1) during a DAD failure.
  static final String SAMPLE = """
      [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"operstate":"UNKNOWN",\
      "link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00",\
      "addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo",\
      "valid_life_time":4294967295,"preferred_life_time":4294967295}]},\
      {"ifindex":2,"link_index":3,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],\
      "mtu":1500,"operstate":"UP","link_type":"ether","address":"76:07:e7:fd:88:67",\
      "addr_info":[{"family":"inet","local":"10.77.0.11","prefixlen":24,"broadcast":"10.77.0.255",\
      "scope":"global","label":"eth0"},{"family":"inet","local":"10.77.0.100","prefixlen":24,\
      "scope":"global","secondary":true,"label":"eth0:vip"},\
      {"family":"inet6","local":"fd77::100","prefixlen":64,"scope":"global","dadfailed":true,"tentative":true},\
      {"family":"inet6","local":"fe80::7407:e7ff:fefd:8867","prefixlen":64,"scope":"link"}]},{}]
      """;

  @Test
  void readsInterfacesAddressesLabelsAndDadFlags() throws Exception {
    AddressListing l = AddressListing.parse(SAMPLE);
    assertThat(l.links()).extracting(AddressListing.Link::name).containsExactly("lo", "eth0");
    assertThat(l.link("lo").orElseThrow().mac()).isEmpty();
    assertThat(l.link("eth0").orElseThrow().mac()).contains("76:07:e7:fd:88:67");
    AddressListing.Entry vip = l.on("eth0", InetAddress.getByName("10.77.0.100")).orElseThrow();
    assertThat(vip.prefix()).isEqualTo(24);
    assertThat(vip.label()).contains("eth0:vip");
    AddressListing.Entry v6 = l.on("eth0", InetAddress.getByName("fd77::100")).orElseThrow();
    assertThat(v6.tentative()).isTrue();
    assertThat(v6.dadFailed()).isTrue();
    assertThat(l.on("lo", InetAddress.getByName("10.77.0.100"))).isEmpty();
    assertThat(l.find(InetAddress.getByName("10.77.0.100"))).singleElement()
        .satisfies(f -> assertThat(f.link().name()).isEqualTo("eth0"));
  }

  @Test
  void badOutputGetsAClearError() {
    assertThatThrownBy(() -> AddressListing.parse("Device \"eth9\" does not exist."))
        .hasMessageContaining("ip -j addr: output is not JSON");
    assertThatThrownBy(() -> AddressListing.parse("{}"))
        .hasMessageContaining("expected a JSON array");
    assertThatThrownBy(() -> AddressListing.parse("[{\"ifname\":\"x\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"bogus\"}]}]"))
        .hasMessageContaining("interface x has unparsable address 'bogus'");
  }
}
