package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.cluster.security.NodeCredentials;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API's routing and status codes over real HTTPS (cluster CA and node certificate),
 * with a recording handler in place of the daemon: which control request each route becomes.
 */
class RestApiRoutesTest {
  static final String TOKEN = "routes-Token-0123456789";
  @TempDir Path dir;
  final ObjectMapper json = new ObjectMapper();
  final List<JsonNode> seen = new ArrayList<>();
  RestApi api;
  HttpClient http;

  @BeforeEach
  void serve() throws Exception {
    NodeCredentials node = RestApiFixture.node();
    Path token = RestApiFixture.tokenFile(dir, TOKEN);
    api = new RestApi(new InetSocketAddress("127.0.0.1", 0), node.sslContext(), token, (req, user) -> {
      seen.add(req);
      if (req.path("resource").asText().equals("nope")) return ControlServer.error("unknown resource 'nope'");
      if (req.path("resource").asText().equals("cut")) throw new java.io.IOException("no leader with a quorum");
      return json.createObjectNode().put("ok", true).put("user", user);
    });
    http = HttpClient.newBuilder().sslContext(RestApiTest.trustingClusterCaOf(node.ca())).build();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.address().getPort() + path))
        .timeout(Duration.ofSeconds(10)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesBecomeControlRequestsAndErrorsGetTheirStatusCodes() throws Exception {
    assertThat(call("GET", "/v1/status", null, null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/v1/status", TOKEN + "x", null).statusCode()).isEqualTo(401);
    assertThat(seen).isEmpty();
    assertThat(call("POST", "/v1/resources/nope/stop", TOKEN, "{}").statusCode()).isEqualTo(409);
    HttpResponse<String> ok = call("POST", "/v1/resources/web/move", TOKEN, "{\"node\":\"b\",\"lifetimeSeconds\":3600,\"op\":\"token\"}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(seen.getLast().toString()).isEqualTo("{\"node\":\"b\",\"lifetimeSeconds\":3600,\"op\":\"resource-move\",\"resource\":\"web\"}");
    assertThat(json.readTree(ok.body()).path("user").asText()).isEqualTo("api");
    assertThat(call("POST", "/v1/resources/web/stop", TOKEN, "").statusCode()).isEqualTo(200);
    assertThat(call("POST", "/v1/resources/web/stop", TOKEN, null).statusCode()).isEqualTo(200);
    assertThat(call("POST", "/v1/nodes/b/standby", TOKEN, null).statusCode()).isEqualTo(200);
    assertThat(seen.getLast().path("op").asText()).isEqualTo("node-state");
    assertThat(call("POST", "/v1/fence/b/confirm", TOKEN, "{\"yes\":true}").statusCode()).isEqualTo(200);
    assertThat(seen.getLast().toString()).contains("\"op\":\"fence-confirm\"").contains("\"node\":\"b\"");
    assertThat(call("POST", "/v1/fence/b", TOKEN, "{\"action\":\"off\"}").statusCode()).isEqualTo(200);
    assertThat(seen.getLast().toString()).isEqualTo("{\"action\":\"off\",\"op\":\"fence\",\"node\":\"b\"}");
    assertThat(call("GET", "/v1/history?node=b&limit=5", TOKEN, null).statusCode()).isEqualTo(200);
    assertThat(seen.getLast().path("limit").asInt()).isEqualTo(5);
    assertThat(call("GET", "/v1/fence/history?node=b", TOKEN, null).statusCode()).isEqualTo(200);
    assertThat(seen.getLast().path("kind").asText()).isEqualTo("FENCING");
    assertThat(call("POST", "/v1/resources/nope/stop", TOKEN, "{}").statusCode()).isEqualTo(409);
    assertThat(call("POST", "/v1/resources/cut/stop", TOKEN, "{}").statusCode()).isEqualTo(503);
    assertThat(call("POST", "/v1/resources/web/stop", TOKEN, "[1]").statusCode()).isEqualTo(400);
    assertThat(call("POST", "/v1/resources/web/stop", TOKEN, "{bad").statusCode()).isEqualTo(400);
    assertThat(call("GET", "/v1/resources/web/stop", TOKEN, null).statusCode()).isEqualTo(405);
    assertThat(call("POST", "/v1/status", TOKEN, "{}").statusCode()).isEqualTo(405);
    assertThat(call("POST", "/v1/resources/web/explode", TOKEN, "{}").statusCode()).isEqualTo(404);
    assertThat(call("GET", "/status", TOKEN, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aReadOnlyTokenMayUseEveryGetRouteAndNothingElse() throws Exception {
    String readOnly = "monitoring-Token-0123456789";
    Path roFile = Files.writeString(dir.resolve("readonly.token"), readOnly + "\n");
    api.close();
    NodeCredentials node = RestApiFixture.node();
    api = new RestApi(new InetSocketAddress("127.0.0.1", 0), node.sslContext(), RestApiFixture.tokenFile(dir, TOKEN),
        roFile, (req, user) -> {
          seen.add(req);
          return json.createObjectNode().put("ok", true).put("user", user);
        });
    http = HttpClient.newBuilder().sslContext(RestApiTest.trustingClusterCaOf(node.ca())).build();
    for (String path : List.of("/v1/status", "/v1/history?limit=5", "/v1/config", "/v1/fence/history?node=b")) {
      HttpResponse<String> r = call("GET", path, readOnly, null);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      assertThat(json.readTree(r.body()).path("user").asText()).isEqualTo("api-readonly");
    }
    int handled = seen.size();
    for (String path : List.of("/v1/resources/web/stop", "/v1/fence/b", "/v1/fencing/pause", "/v1/apply")) {
      HttpResponse<String> r = call("POST", path, readOnly, "{}");
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(r.body()).contains("read-only API token may only read").contains("nothing was changed");
    }
    assertThat(seen).as("no refused request reached the handler").hasSize(handled);
    // the full token still does everything; a wrong one still gets 401
    assertThat(call("POST", "/v1/resources/web/stop", TOKEN, "{}").statusCode()).isEqualTo(200);
    assertThat(call("GET", "/v1/status", readOnly + "x", null).statusCode()).isEqualTo(401);
  }

  @Test
  void aReadOnlyTokenEqualToTheFullTokenIsRefusedAtStart() throws Exception {
    Path same = Files.writeString(dir.resolve("same.token"), TOKEN + "\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RestApi(new InetSocketAddress("127.0.0.1", 0),
            RestApiFixture.node().sslContext(), RestApiFixture.tokenFile(dir, TOKEN), same, (req, user) -> null))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("holds the same token as");
  }
}
