package io.vigil.agents.balancer;

import static io.vigil.agents.balancer.BalancerLoopbackTest.drain;
import static io.vigil.agents.balancer.BalancerLoopbackTest.writePattern;
import static io.vigil.agents.balancer.TestServices.rs;
import static io.vigil.agents.balancer.TestServices.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 64 MiB each way through the real proxy, with the response sent only after the client's FIN; the
 * transport from -Dvigil.test.transport (EPOLL, IO_URING or NIO; the product default unless set).
 */
@Tag("slow")
class LargeTransferTest {
  static final long SIZE = Long.getLong("vigil.test.transferMiB", 64) << 20;

  @Test
  void transfersAreByteExactInBothDirectionsAcrossHalfClose() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    CompletableFuture<String> sent = new CompletableFuture<>();
    try (LoopbackServer backend = LoopbackServer.start("sink-then-source", 0, s -> {
          try {
            MessageDigest in = MessageDigest.getInstance("SHA-256");
            long n = drain(s.getInputStream(), in); // ends only if the proxy passed on the client's FIN
            received.complete(n + " " + HexFormat.of().formatHex(in.digest()));
            MessageDigest out = MessageDigest.getInstance("SHA-256");
            writePattern(s.getOutputStream(), SIZE, 2, out);
            sent.complete(SIZE + " " + HexFormat.of().formatHex(out.digest()));
            s.shutdownOutput();
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
        });
        Balancer bal = new Balancer(vs("wlc", List.of(rs(backend, 1))), e -> {})) {
      var proxy = bal.start();
      TestServices.namedTransport().ifPresent(t -> assertThat(bal.transport()).as("transport in use").isEqualTo(t));
      try (Socket client = new Socket()) {
        client.connect(proxy, 2000);
        client.setSoTimeout(30_000);
        MessageDigest up = MessageDigest.getInstance("SHA-256");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
          try {
            writePattern(client.getOutputStream(), SIZE, 1, up);
            client.shutdownOutput();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        MessageDigest down = MessageDigest.getInstance("SHA-256");
        long got = drain(client.getInputStream(), down);
        writer.get(30, TimeUnit.SECONDS);
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(SIZE + " " + HexFormat.of().formatHex(up.digest()));
        assertThat(got + " " + HexFormat.of().formatHex(down.digest())).isEqualTo(sent.get(30, TimeUnit.SECONDS));
      }
      var st = bal.engine().status().get(0);
      assertThat(st.bytesIn()).isEqualTo(SIZE);
      assertThat(st.bytesOut()).isEqualTo(SIZE);
    }
  }
}
