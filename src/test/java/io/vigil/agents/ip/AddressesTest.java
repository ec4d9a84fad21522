package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AddressesTest {

  @Property
  void loopbackPrefixIsAlwaysFullLength(@ForAll @IntRange(min = 1, max = 32) int requested) throws Exception {
    InetAddress a = InetAddress.getByName("10.1.2.3");
    assertThat(Addresses.effectivePrefix(a, Optional.of(requested), "lo").prefix()).isEqualTo(32);
  }

  @Property
  void ipv6LoopbackPrefixIsAlwaysFullLength(@ForAll @IntRange(min = 1, max = 128) int requested) throws Exception {
    InetAddress a = InetAddress.getByName("2001:db8::1");
    Addresses.PrefixDecision d = Addresses.effectivePrefix(a, Optional.of(requested), "lo");
    assertThat(d.prefix()).isEqualTo(128);
    assertThat(d.note().isPresent()).isEqualTo(requested != 128);
  }

  @Property
  void canonicalIpv6TextParsesBackToTheSameAddress(@ForAll byte[] raw) throws Exception {
    byte[] b = new byte[16];
    System.arraycopy(raw, 0, b, 0, Math.min(16, raw.length));
    b[0] = (byte) 0x20; // keep it out of the IPv4-mapped range
    InetAddress a = InetAddress.getByAddress(b);
    String text = Addresses.text(a);
    assertThat(Addresses.parse(text).address()).isEqualTo(a);
    assertThat(text).doesNotContain(":::");
  }

  @Test
  void compressesLikeIproute2() throws Exception {
    assertThat(Addresses.text(InetAddress.getByName("fd77:0:0:0:0:0:0:100"))).isEqualTo("fd77::100");
    assertThat(Addresses.text(InetAddress.getByName("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
    assertThat(Addresses.text(InetAddress.getByName("2001:db8:1:1:1:1:1:1"))).isEqualTo("2001:db8:1:1:1:1:1:1");
  }
}
