package io.vigil.agents.balancer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.vigil.agents.balancer.proxy.ProxyServer.Transport;
import io.vigil.agents.balancer.sched.Schedulers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds virtual services and clients for tests. */
final class TestServices {
  private TestServices() {}

  static VirtualService.RealServerSpec rs(LoopbackServer s, int weight) {
    return rs(s.port(), weight, VirtualService.DEFAULT_POOL);
  }

  static VirtualService.RealServerSpec rs(int port, int weight, String pool) {
    return new VirtualService.RealServerSpec(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), weight, 0, 0,
        pool, VirtualService.Forwarding.NAT);
  }

  /**
   * A service with the transport from -Dvigil.test.transport; unless set, the product default
   * (IO_URING, or its fallback where it cannot run).
   */
  static VirtualService vs(String scheduler, List<VirtualService.RealServerSpec> servers) {
    return vs(scheduler, servers, namedTransport().orElse(Transport.IO_URING));
  }

  /**
   * The transport named by -Dvigil.test.transport, if set; the test is then skipped (an assumption)
   * when that transport cannot run on this machine, instead of silently testing its fallback.
   * Unset, the tests use the product default (and its fallback where it cannot run).
   */
  static Optional<Transport> namedTransport() {
    String named = System.getProperty("vigil.test.transport");
    if (named == null) {
      return Optional.empty();
    }
    Transport t = Transport.valueOf(named.toUpperCase(java.util.Locale.ROOT));
    assumeUsable(t);
    return Optional.of(t);
  }

  /** Skips the test, saying why, when {@code t}'s native library cannot run here. */
  static void assumeUsable(Transport t) {
    switch (t) {
      case IO_URING -> assumeTrue(IoUring.isAvailable(), () -> "io_uring not available here: " + IoUring.unavailabilityCause());
      case EPOLL -> assumeTrue(Epoll.isAvailable(), () -> "native epoll not available here: " + Epoll.unavailabilityCause());
      case NIO -> { }
    }
  }

  static VirtualService vs(String scheduler, List<VirtualService.RealServerSpec> servers,
      Transport transport) {
    return new VirtualService("web", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), VirtualService.Mode.PROXY,
        VirtualService.Protocol.TCP, scheduler, Schedulers.Options.DEFAULTS, Optional.empty(), servers, Optional.empty(),
        VirtualService.OnFailure.REMOVE, Optional.empty(), List.of(), new VirtualService.ProxySettings(2, Duration.ofSeconds(2),
            transport, Duration.ofSeconds(60)));
  }

  /** Connects (optionally from a given loopback source address) and reads the server's name line. */
  static Client connect(InetSocketAddress proxy, String source) throws IOException {
    Socket s = new Socket();
    if (source != null) {
      s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    }
    s.connect(proxy, 2000);
    s.setSoTimeout(5000);
    BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    String name = r.readLine();
    return new Client(s, r, name);
  }

  /** Names of the servers reached by n sequential short connections. */
  static List<String> names(InetSocketAddress proxy, int n) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try (Client c = connect(proxy, null)) {
        out.add(c.name());
      }
    }
    return out;
  }

  record Client(Socket socket, BufferedReader reader, String name) implements AutoCloseable {
    /** Sends a line and returns the echoed line. */
    String echo(String line) throws IOException {
      socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      return reader.readLine();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
