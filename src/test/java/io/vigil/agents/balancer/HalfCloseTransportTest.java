package io.vigil.agents.balancer;

import static io.vigil.agents.balancer.BalancerLoopbackTest.drain;
import static io.vigil.agents.balancer.BalancerLoopbackTest.writePattern;
import static io.vigil.agents.balancer.TestServices.assumeUsable;
import static io.vigil.agents.balancer.TestServices.rs;
import static io.vigil.agents.balancer.TestServices.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.balancer.proxy.ProxyServer.Transport;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A response larger than the socket buffers, sent only after the client's FIN, arrives whole with
 * every transport, several connections in a row (with Netty 4.2.18's epoll unpatched, the
 * half-closed client socket left the epoll set and such a response was cut off). And the other way
 * round: a real server that ends its output first still receives everything the client sends after
 * that FIN reached the client.
 */
class HalfCloseTransportTest {
  static final int SIZE = 8 << 20;
  static final int ROUNDS = 4;

  @ParameterizedTest
  @EnumSource(Transport.class)
  void largeResponseAfterClientFinArrivesWhole(Transport transport) throws Exception {
    assumeUsable(transport);
    try (LoopbackServer backend = LoopbackServer.start("after-fin", 0, s -> {
          InputStream in = s.getInputStream();
          while (in.read() >= 0) { } // the request, up to the FIN the proxy passed on
          try {
            writePattern(s.getOutputStream(), SIZE, 7, MessageDigest.getInstance("SHA-256"));
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
          s.shutdownOutput();
        });
        Balancer bal = new Balancer(vs("rr", List.of(rs(backend, 1)), transport), e -> {})) {
      var proxy = bal.start();
      assertThat(bal.transport()).as("transport in use").isEqualTo(transport);
      MessageDigest expected = MessageDigest.getInstance("SHA-256");
      writePattern(java.io.OutputStream.nullOutputStream(), SIZE, 7, expected);
      String want = SIZE + " " + HexFormat.of().formatHex(expected.digest());
      for (int i = 0; i < ROUNDS; i++) {
        try (Socket client = new Socket()) {
          client.connect(proxy, 2000);
          client.setSoTimeout(10_000);
          client.getOutputStream().write("GET /big\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          client.shutdownOutput();
          MessageDigest got = MessageDigest.getInstance("SHA-256");
          long n = CompletableFuture.supplyAsync(() -> {
            try {
              return drain(client.getInputStream(), got);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).get(20, TimeUnit.SECONDS);
          assertThat(n + " " + HexFormat.of().formatHex(got.digest())).as("round %d over %s", i, transport).isEqualTo(want);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServersFinReachesTheClientAndTheClientCanStillSend(Transport transport) throws Exception {
    assumeUsable(transport);
    var received = new LinkedBlockingQueue<String>();
    try (LoopbackServer backend = LoopbackServer.start("fin-first", 0, s -> {
          s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
          s.shutdownOutput();
          try {
            MessageDigest in = MessageDigest.getInstance("SHA-256");
            long n = drain(s.getInputStream(), in);
            received.add(n + " " + HexFormat.of().formatHex(in.digest()));
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
        });
        Balancer bal = new Balancer(vs("rr", List.of(rs(backend, 1)), transport), e -> {})) {
      var proxy = bal.start();
      assertThat(bal.transport()).as("transport in use").isEqualTo(transport);
      for (int i = 0; i < ROUNDS; i++) {
        try (Socket client = new Socket()) {
          client.connect(proxy, 2000);
          client.setSoTimeout(10_000);
          assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
              .as("the server's bytes, then its FIN, round %d over %s", i, transport).isEqualTo("hello\n");
          MessageDigest sent = MessageDigest.getInstance("SHA-256");
          writePattern(client.getOutputStream(), SIZE, 3, sent);
          client.shutdownOutput();
          assertThat(received.poll(20, TimeUnit.SECONDS)).as("what the server received, round %d over %s", i, transport)
              .isEqualTo(SIZE + " " + HexFormat.of().formatHex(sent.digest()));
        }
      }
    }
  }
}
