package io.vigil.agents.providerip;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.agents.ip.AgentResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic driver against a local API shaped like cloud floating-IP services: bearer token,
 * POST .../actions/assign answers 201 at once and the assignment completes later (fake time).
 */
class HttpFailoverDriverTest {
  @TempDir Path dir;
  final FakeTime time = new FakeTime();
  HttpServer server;
  final List<String> log = new ArrayList<>();
  String holder = "srv-1";
  String pending;
  Instant pendingAt = Instant.MAX;
  int tooManyRequests;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/floating_ips/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  synchronized void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      log.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + (body.isEmpty() ? "" : " " + body));
      if (!"Bearer t0ken".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        reply(ex, 401, "{\"error\":{\"code\":\"unauthorized\"}}");
        return;
      }
      if (tooManyRequests > 0) {
        tooManyRequests--;
        reply(ex, 429, "{\"error\":{\"code\":\"rate_limit_exceeded\"}}");
        return;
      }
      if (!time.instant().isBefore(pendingAt)) {
        holder = pending;
        pendingAt = Instant.MAX;
      }
      if (ex.getRequestMethod().equals("POST") && ex.getRequestURI().getPath().equals("/v1/floating_ips/fip-7/actions/assign")) {
        pending = body.replaceAll(".*\"server\":\"([^\"]+)\".*", "$1");
        pendingAt = time.instant().plusSeconds(5);
        reply(ex, 201, "{\"action\":{\"command\":\"assign_floating_ip\",\"status\":\"running\"}}");
      } else if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().equals("/v1/floating_ips/fip-7")) {
        reply(ex, 200, "{\"floating_ip\":{\"id\":\"fip-7\",\"server\":\"" + holder + "\"}}");
      } else {
        reply(ex, 404, "{\"error\":{\"code\":\"not_found\"}}");
      }
    }
  }

  static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  ProviderIpAgent agent(String token, String... extra) throws Exception {
    Path creds = dir.resolve("token-" + token);
    Files.writeString(creds, token + "\n");
    Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/floating_ips/${address}";
    Map<String, String> raw = new HashMap<>(Map.of("driver", "http", "address", "fip-7", "self", "srv-2",
        "auth", "bearer", "credentials-file", creds.toString(), "switch-url", base + "/actions/assign",
        "switch-body", "{\"server\":\"${self}\"}", "status-url", base, "status-pointer", "/floating_ip/server",
        "state-dir", dir.resolve("state").toString()));
    for (int i = 0; i < extra.length; i += 2) {
      raw.put(extra[i], extra[i + 1]);
    }
    return ProviderIpAgent.create(ProviderIpParams.parse("fip", raw), ProviderIpAgent.defaultHttpClient(), time, time);
  }

  @Test
  void startReturnsOnlyOnceTheStatusNamesThisNode() throws Exception {
    ProviderIpAgent a = agent("t0ken");
    AgentResult r = a.start(Duration.ofSeconds(60));
    assertThat(r.rc()).as(r.message()).isZero();
    assertThat(holder).isEqualTo("srv-2");
    assertThat(log.getFirst()).isEqualTo("POST /v1/floating_ips/fip-7/actions/assign {\"server\":\"srv-2\"}");
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4)); // confirm polls
    assertThat(a.monitor().rc()).isZero();
    holder = "srv-9";
    assertThat(a.monitor().message()).contains("routes fip-7 to srv-9, not to srv-2");
  }

  @Test
  void rejectedTokenIsNotRetried() throws Exception {
    AgentResult r = agent("wrong").start(Duration.ofSeconds(60));
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_PERM);
    assertThat(r.message()).doesNotContain("wrong\n").contains("not retrying");
    assertThat(log).hasSize(1);
  }

  @Test
  void tooManyRequestsBacksOffAsThrottled() throws Exception {
    tooManyRequests = 1;
    AgentResult r = agent("t0ken", "rate-limit-backoff", "10s").start(Duration.ofSeconds(60));
    assertThat(r.rc()).as(r.message()).isZero();
    assertThat(time.sleeps.getFirst()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void regexHolderCheckWorksToo() throws Exception {
    HttpFailoverDriver d = new HttpFailoverDriver(
        ProviderIpParams.parse("fip", Map.of("driver", "http", "address", "fip-7", "self", "srv-2",
            "switch-url", "http://x/${address}", "status-url", "http://x/${address}",
            "status-regex", "\"server\":\"${self}\"")).http().orElseThrow(),
        "fip-7", "srv-2", java.util.Optional.empty(), java.util.Optional.empty(), null, null, time);
    assertThat(d.holdsHere("{\"floating_ip\":{\"server\":\"srv-2\"}}")).isTrue();
    assertThat(d.holdsHere("{\"floating_ip\":{\"server\":\"srv-22\"}}")).isFalse();
  }
}
