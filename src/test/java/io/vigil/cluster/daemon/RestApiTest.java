package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.cluster.security.NodeCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API of a real daemon, through a real HTTPS client that trusts only the cluster CA: the
 * token is required, routes map to the control requests (status, apply, resource stop, fencing
 * pause, history), refusals are 409 with the reason, unknown routes 404, plain HTTP gets nothing,
 * and the token never reaches the daemon's log.
 */
@Tag("slow")
class RestApiTest {
  static final String TOKEN = "rest-Token-5f2d81c9a7e4";
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;
  final ObjectMapper json = new ObjectMapper();

  @Test
  void restApiNeedsTheTokenAndActsLikeTheCli() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, List.of("a"))) {
      Path tokenFile = root.resolve("api.token");
      Files.writeString(tokenFile, TOKEN + "\n");
      int port = Daemons.freePortPair();
      cluster.daemonArgs.put("a", List.of("--api", "127.0.0.1:" + port, "--api-token-file", tokenFile.toString()));
      cluster.form();
      HttpClient http = HttpClient.newBuilder().sslContext(trustingClusterCa(cluster.dirs.get("a")))
          .connectTimeout(Duration.ofSeconds(5)).build();
      String base = "https://127.0.0.1:" + port + "/v1/";
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> get(http, base + "status", TOKEN).statusCode() == 200);

      assertThat(get(http, base + "status", null).statusCode()).isEqualTo(401);
      assertThat(get(http, base + "status", "wrong-token-wrong-token").statusCode()).isEqualTo(401);
      HttpResponse<String> status = get(http, base + "status", TOKEN);
      assertThat(json.readTree(status.body()).path("cluster").asText()).isEqualTo("demo");
      assertThat(status.headers().firstValue("Content-Type")).contains("application/json");

      String yaml = """
          cluster: demo
          properties: {fencing-enabled: false}
          nodes: [{name: a}]
          resources:
            - {primitive: svc, agent: "builtin:dummy"}
          """;
      HttpResponse<String> applied = post(http, base + "apply", json.createObjectNode().put("yaml", yaml).put("reason", "rest").toString());
      assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
      assertThat(json.readTree(applied.body()).path("epoch").asLong()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).alias("svc runs")
          .until(() -> Files.exists(cluster.dirs.get("a").resolve("builtin/dummy-svc.state")));

      HttpResponse<String> stopped = post(http, base + "resources/svc/stop", "");
      assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).alias("svc stopped")
          .until(() -> !Files.exists(cluster.dirs.get("a").resolve("builtin/dummy-svc.state")));
      HttpResponse<String> unknown = post(http, base + "resources/nope/stop", "{}");
      assertThat(unknown.statusCode()).isEqualTo(409);
      assertThat(json.readTree(unknown.body()).path("error").asText()).startsWith("unknown resource 'nope'");
      assertThat(post(http, base + "resources/svc/explode", "{}").statusCode()).isEqualTo(404);
      assertThat(post(http, base + "resources/svc/start", "not json").statusCode()).isEqualTo(400);
      assertThat(get(http, base + "resources/svc/start", TOKEN).statusCode()).isEqualTo(405);

      HttpResponse<String> paused = post(http, base + "fencing/pause",
          json.createObjectNode().put("forSeconds", 600).put("reason", "upgrade").toString());
      assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
      assertThat(json.readTree(get(http, base + "status", TOKEN).body()).path("fencingPauses").get(0).path("author").asText())
          .isEqualTo("api@a");
      JsonNode fencing = json.readTree(get(http, base + "fence/history", TOKEN).body());
      assertThat(fencing.path("events").toString()).contains("fencing paused until");
      JsonNode history = json.readTree(get(http, base + "history?resource=svc&limit=5", TOKEN).body());
      assertThat(history.path("events").size()).isBetween(1, 5);
      assertThat(history.path("events").toString()).doesNotContain("fencing paused");

      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/v1/status")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
      assertThat(Files.readString(root.resolve("a.log"))).doesNotContain(TOKEN);
    }
  }

  HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90)).header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static SSLContext trustingClusterCa(Path stateDir) throws Exception {
    return trustingClusterCaOf(NodeCredentials.load(stateDir).ca());
  }

  static SSLContext trustingClusterCaOf(java.security.cert.X509Certificate ca) throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
