package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.cluster.security.NodeCredentials;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} over real HTTPS: the token is required, the body is the metrics op's text as Prometheus text. */
class MetricsRouteTest {
  static final String TOKEN = "metrics-Token-0123456789";
  @TempDir Path dir;
  final ObjectMapper json = new ObjectMapper();
  final List<String> ops = new CopyOnWriteArrayList<>();
  RestApi api;
  HttpClient http;

  @BeforeEach
  void serve() throws Exception {
    NodeCredentials node = RestApiFixture.node();
    Path token = RestApiFixture.tokenFile(dir, TOKEN);
    api = new RestApi(new InetSocketAddress("127.0.0.1", 0), node.sslContext(), token, (req, user) -> {
      ops.add(req.path("op").asText());
      return json.createObjectNode().put("ok", true).put("text", "# TYPE vigil_balancer_listening gauge\nvigil_balancer_listening{resource=\"r\",service=\"s\"} 1\n");
    });
    http = HttpClient.newBuilder().sslContext(RestApiTest.trustingClusterCaOf(node.ca())).build();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  HttpResponse<String> call(String method, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.address().getPort() + "/metrics"))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAreServedAsPrometheusTextToTokenHoldersOnly() throws Exception {
    HttpResponse<String> r = call("GET", TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).isEqualTo("# TYPE vigil_balancer_listening gauge\nvigil_balancer_listening{resource=\"r\",service=\"s\"} 1\n");
    assertThat(ops).containsExactly("metrics");
    assertThat(call("GET", null).statusCode()).isEqualTo(401);
    assertThat(call("POST", TOKEN).statusCode()).isEqualTo(405);
    assertThat(ops).as("refused requests never reach the handler").containsExactly("metrics");
  }
}
