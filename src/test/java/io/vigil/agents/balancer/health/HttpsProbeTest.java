package io.vigil.agents.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS GET against a real TLS server with a self-signed certificate made by keytool, and garbage answers. */
class HttpsProbeTest {
  @TempDir Path dir;

  @Test
  void httpsProbeAcceptsASelfSignedRealServerAndSendsTheVirtualHost() throws Exception {
    Path ks = dir.resolve("rs.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "rs", "-keyalg", "EC", "-dname", "CN=rs.test", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);

    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    https.setHttpsConfigurator(new HttpsConfigurator(ctx));
    AtomicReference<String> host = new AtomicReference<>();
    https.createContext("/ready", ex -> {
      host.set(ex.getRequestHeaders().getFirst("Host"));
      byte[] body = "ready".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    https.start();
    try {
      var spec = new CheckSpec.Http(true, "/ready", Optional.of("shop.example.test"),
          List.of(new CheckSpec.StatusRange(200, 200)), Optional.of(Pattern.compile("^ready$")), Optional.empty());
      var r = new HttpProbe(spec).probe(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), https.getAddress().getPort()), Duration.ofSeconds(5));
      assertThat(r.healthy()).as(r.detail()).isTrue();
      assertThat(r.detail()).startsWith("GET https://");
      assertThat(host.get()).isEqualTo("shop.example.test");
    } finally {
      https.stop(0);
    }
  }

  @Test
  void garbageAnswersAreFailedChecks() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      Thread t = Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 2; i++) {
          try (Socket s = ss.accept()) {
            s.getOutputStream().write(i == 0 ? "SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.US_ASCII)
                : "HTTP/1.1 200 OK\r\nContent-".getBytes(StandardCharsets.US_ASCII));
          } catch (Exception e) {
            return;
          }
        }
      });
      var target = (InetSocketAddress) ss.getLocalSocketAddress();
      assertThat(new HttpProbe(CheckSpec.Http.get("/")).probe(target, Duration.ofSeconds(2)).detail())
          .contains("malformed status line 'SSH-2.0-OpenSSH'");
      assertThat(new HttpProbe(CheckSpec.Http.get("/")).probe(target, Duration.ofSeconds(2)).detail())
          .contains("incomplete HTTP response");
      var tls = new CheckSpec.Http(true, "/", Optional.empty(), List.of(new CheckSpec.StatusRange(200, 299)), Optional.empty(), Optional.empty());
      try (ServerSocket plain = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
        Thread.ofVirtual().start(() -> {
          try (Socket s = plain.accept()) {
            s.getOutputStream().write("not tls at all\r\n".getBytes(StandardCharsets.US_ASCII));
          } catch (Exception e) {
            // done
          }
        });
        assertThat(new HttpProbe(tls).probe((InetSocketAddress) plain.getLocalSocketAddress(), Duration.ofSeconds(2)).healthy()).isFalse();
      }
      t.join(2000);
    }
  }
}
