package io.vigil.agents.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real probes against real loopback servers and real processes. */
class ProbesTest {
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  HttpServer http;
  final AtomicReference<String> seenHost = new AtomicReference<>();
  volatile int status = 200;

  @BeforeEach
  void startHttp() throws Exception {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    http.createContext("/health", ex -> {
      seenHost.set(ex.getRequestHeaders().getFirst("Host"));
      byte[] body = "status: all good\n".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    http.start();
  }

  @AfterEach
  void stopHttp() {
    http.stop(0);
  }

  InetSocketAddress httpAddress() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), http.getAddress().getPort());
  }

  @Test
  void tcpProbeSucceedsOnAListeningPortAndFailsOnAClosedOne() throws Exception {
    int closedPort;
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(new TcpProbe().probe((InetSocketAddress) ss.getLocalSocketAddress(), TIMEOUT).healthy()).isTrue();
      closedPort = ss.getLocalPort();
    }
    var r = new TcpProbe().probe(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), TIMEOUT);
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).contains("TCP connect to").contains("failed");
  }

  @Test
  void httpProbeChecksStatusBodyDigestAndSendsTheVirtualHost() throws Exception {
    var spec = new CheckSpec.Http(false, "/health", Optional.of("www.example.test"),
        List.of(CheckSpec.StatusRange.parse("200-299")), Optional.of(Pattern.compile("all good")),
        Optional.of(HttpProbe.md5("status: all good\n".getBytes(StandardCharsets.UTF_8))));
    var ok = new HttpProbe(spec).probe(httpAddress(), TIMEOUT);
    assertThat(ok.healthy()).as(ok.detail()).isTrue();
    assertThat(seenHost.get()).isEqualTo("www.example.test");

    status = 503;
    var bad = new HttpProbe(spec).probe(httpAddress(), TIMEOUT);
    assertThat(bad.healthy()).isFalse();
    assertThat(bad.detail()).contains("HTTP 503, expected 200-299");
  }

  @Test
  void httpProbeFailsOnBodyMismatchAndWrongDigest() throws Exception {
    var regex = new CheckSpec.Http(false, "/health", Optional.empty(), List.of(new CheckSpec.StatusRange(200, 200)),
        Optional.of(Pattern.compile("^degraded")), Optional.empty());
    assertThat(new HttpProbe(regex).probe(httpAddress(), TIMEOUT).detail()).contains("body does not match");
    var digest = new CheckSpec.Http(false, "/health", Optional.empty(), List.of(new CheckSpec.StatusRange(200, 200)),
        Optional.empty(), Optional.of("00000000000000000000000000000000"));
    assertThat(new HttpProbe(digest).probe(httpAddress(), TIMEOUT).detail()).contains("body digest");
  }

  @Test
  void httpProbeTimesOutOnAServerThatNeverAnswers() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var r = new HttpProbe(CheckSpec.Http.get("/")).probe(
          (InetSocketAddress) silent.getLocalSocketAddress(), Duration.ofMillis(200));
      assertThat(r.healthy()).isFalse();
      assertThat(r.detail()).contains("timed out");
    }
  }

  @Test
  void scriptProbeUsesExitCodesLikeKeepalivedMiscDynamic() throws Exception {
    var target = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
    assertThat(new ScriptProbe(new CheckSpec.Script(List.of("/bin/true"), false)).probe(target, TIMEOUT).healthy()).isTrue();
    assertThat(new ScriptProbe(new CheckSpec.Script(List.of("/bin/false"), true)).probe(target, TIMEOUT).healthy()).isFalse();
    var dyn = new ScriptProbe(new CheckSpec.Script(
        List.of("/bin/sh", "-c", "test \"$VIGIL_RS_PORT\" = 8080 && exit 12 || exit 1"), true)).probe(target, TIMEOUT);
    assertThat(dyn.healthy()).isTrue();
    assertThat(dyn.weight()).hasValue(10);
    var nonDynamic = new ScriptProbe(new CheckSpec.Script(List.of("/bin/sh", "-c", "exit 12"), false)).probe(target, TIMEOUT);
    assertThat(nonDynamic.healthy()).isFalse();
  }

  @Test
  void scriptProbeKillsAScriptThatRunsTooLong() throws Exception {
    var target = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
    var r = new ScriptProbe(new CheckSpec.Script(List.of("/bin/sleep", "30"), false)).probe(target, Duration.ofMillis(200));
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).contains("timed out");
  }

  @Test
  void missingScriptIsAFailedCheckNotAnException() throws Exception {
    var target = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
    var r = new ScriptProbe(new CheckSpec.Script(List.of("/nonexistent/check"), false)).probe(target, TIMEOUT);
    assertThat(r.healthy()).isFalse();
    assertThat(r.detail()).contains("could not start");
  }
}
