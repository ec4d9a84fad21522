package io.vigil.agents.balancer;

import static io.vigil.agents.balancer.TestServices.assumeUsable;
import static io.vigil.agents.balancer.TestServices.rs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.balancer.proxy.ProxyServer.Transport;
import io.vigil.agents.balancer.sched.Schedulers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real server whose accept queue is full drops the proxy's SYN, so the backend connect hangs:
 * the proxy's sweep gives it up after the connect timeout, counts a failed connect and closes the
 * client (the timeout is the sweep's, not a timer per connection).
 */
class ConnectTimeoutTest {

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aConnectThatHangsIsGivenUpAfterTheConnectTimeout(Transport transport) throws Exception {
    assumeUsable(transport);
    List<SocketChannel> fillers = new ArrayList<>();
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // Never accepted: the queue (backlog + 1) fills, and further SYNs are dropped.
      for (int i = 0; i < 4; i++) {
        SocketChannel c = SocketChannel.open();
        c.configureBlocking(false);
        c.connect(full.getLocalSocketAddress());
        fillers.add(c);
      }
      VirtualService vs = new VirtualService("web", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          VirtualService.Mode.PROXY, VirtualService.Protocol.TCP, "rr", Schedulers.Options.DEFAULTS, Optional.empty(),
          List.of(rs(full.getLocalPort(), 1, VirtualService.DEFAULT_POOL)), Optional.empty(), VirtualService.OnFailure.REMOVE,
          Optional.empty(), List.of(),
          new VirtualService.ProxySettings(1, Duration.ofMillis(300), transport, Duration.ofSeconds(60)));
      try (Balancer bal = new Balancer(vs, e -> {}); Socket client = new Socket()) {
        client.connect(bal.start(), 2000);
        assertThat(bal.transport()).as("transport in use").isEqualTo(transport);
        client.setSoTimeout(10_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> bal.engine().status().get(0).inactive() == 1); // connecting
        assertThat(client.getInputStream().read()).as("client closed when the connect is given up").isEqualTo(-1);
        await().atMost(Duration.ofSeconds(5)).until(() -> bal.engine().status().get(0).failedConnects() == 1);
        assertThat(bal.engine().status().get(0).inactive()).isZero();
      }
    } finally {
      for (SocketChannel c : fillers) {
        c.close();
      }
    }
  }
}
