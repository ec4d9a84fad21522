package io.vigil.agents.balancer.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.balancer.proxy.ProxyServer.Transport;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which transport a proxy gets for the configured one, given what can run on the machine (pure). */
class TransportsTest {

  static Transport effective(Transport requested, Set<Transport> usable) {
    return Transports.effective(requested, usable::contains);
  }

  @Test
  void aUsableTransportIsUsedAsConfigured() {
    Set<Transport> all = EnumSet.allOf(Transport.class);
    for (Transport t : Transport.values()) {
      assertThat(effective(t, all)).isEqualTo(t);
    }
  }

  @Test
  void ioUringFallsBackToEpollThenNio() {
    assertThat(effective(Transport.IO_URING, EnumSet.of(Transport.EPOLL))).isEqualTo(Transport.EPOLL);
    assertThat(effective(Transport.IO_URING, EnumSet.noneOf(Transport.class))).isEqualTo(Transport.NIO);
  }

  @Test
  void epollFallsBackToNioNeverToIoUring() {
    assertThat(effective(Transport.EPOLL, EnumSet.of(Transport.IO_URING))).isEqualTo(Transport.NIO);
  }

  @Test
  void nioIsAlwaysUsable() {
    assertThat(effective(Transport.NIO, EnumSet.noneOf(Transport.class))).isEqualTo(Transport.NIO);
  }
}
