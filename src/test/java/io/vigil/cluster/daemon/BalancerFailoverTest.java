package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.agents.balancer.LoopbackServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code builtin:balancer} resource in a group, run by three real daemons on loopback in front of
 * two real backends: clients reach both backends through the node that runs it, its counters show in
 * {@code vigil balancer status}, {@code vigil status} and {@code GET /metrics}; when that node's
 * daemon is killed, the balancer answers from a survivor. A backend's failure is in the cluster history.
 */
@Tag("slow")
class BalancerFailoverTest {
  static final String TOKEN = "balancer-Token-8c1e0f42d9";
  static final List<String> NODES = List.of("a", "b", "c");
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  @Test
  void balancerServesFromOneNodeShowsItsCountersAndFailsOver() throws Exception {
    List<AutoCloseable> backends = new ArrayList<>();
    try (LocalCluster cluster = new LocalCluster(root, NODES)) {
      LoopbackServer one = LoopbackServer.identifying("one", 0);
      backends.add(one);
      LoopbackServer two = LoopbackServer.identifying("two", 0);
      backends.add(two);
      int vip = io.vigil.demo.Ports.freePair();
      Path tokenFile = root.resolve("api.token");
      Files.writeString(tokenFile, TOKEN + "\n");
      Map<String, Integer> apiPorts = new HashMap<>();
      for (String n : NODES) {
        apiPorts.put(n, Daemons.freePortPair());
        cluster.daemonArgs.put(n, List.of("--api", "127.0.0.1:" + apiPorts.get(n), "--api-token-file", tokenFile.toString()));
      }
      Path vs = root.resolve("web-vs.yaml");
      Files.writeString(vs, """
          name: web
          listen: 127.0.0.1:%d
          scheduler: rr
          check: {type: tcp, interval: 500ms, timeout: 500ms, rise: 1, fall: 2}
          real-servers:
            - {address: 127.0.0.1:%d}
            - {address: 127.0.0.1:%d}
          proxy: {threads: 1}
          """.formatted(vip, one.port(), two.port()));
      cluster.form();
      System.out.println("daemon logs in " + root);
      Path cfg = root.resolve("cluster.yaml");
      Files.writeString(cfg, """
          cluster: demo
          properties: {fencing-enabled: false}
          nodes: [{name: a}, {name: b}, {name: c}]
          resources:
            - group: web
              members:
                - primitive: web-lb
                  agent: builtin:balancer
                  params: {config: %s}
                  operations: [{name: monitor, interval: 2s}]
          """.formatted(vs));
      assertThat(cluster.cli("apply", "-f", cfg.toString(), "--reason", "balancer test", "--state-dir",
          cluster.dirs.get("a").toString())).isZero();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).alias("web-lb runs on one node")
          .until(() -> runningOn(cluster, NODES).size() == 1);
      String first = runningOn(cluster, NODES).getFirst();
      InetSocketAddress service = new InetSocketAddress("127.0.0.1", vip);
      assertThat(names(service, 6)).containsOnly("one", "two").contains("one", "two");

      String dir = cluster.dirs.get(first).toString();
      assertThat(cluster.cli("balancer", "status", "--state-dir", dir)).isZero();
      assertThat(cluster.lastOutput).contains("balancer web (resource web-lb) on 127.0.0.1:" + vip, "2/2 real servers up",
          "6 connections", "127.0.0.1:" + one.port(), "127.0.0.1:" + two.port());
      assertThat(cluster.cli("balancer", "status", "--json", "--state-dir", dir)).isZero();
      JsonNode st = cluster.json.readTree(cluster.lastOutput);
      assertThat(st.path("balancers").get(0).path("totals").path("connections").asLong()).isEqualTo(6);
      assertThat(st.path("balancers").get(0).path("servers").get(0).path("health").asText()).isEqualTo("UP");
      assertThat(cluster.cli("status", "--state-dir", dir)).isZero();
      assertThat(cluster.lastOutput).contains("on this node (" + first + "):", "balancer web (resource web-lb)");
      String other = NODES.stream().filter(n -> !n.equals(first)).findFirst().orElseThrow();
      assertThat(cluster.cli("balancer", "status", "--state-dir", cluster.dirs.get(other).toString())).isZero();
      assertThat(cluster.lastOutput).contains("no balancer runs on node " + other);

      HttpClient http = HttpClient.newBuilder().sslContext(RestApiTest.trustingClusterCa(cluster.dirs.get(first)))
          .connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> metrics = metrics(http, apiPorts.get(first), TOKEN);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
      assertThat(metrics.body()).contains("vigil_balancer_connections_total{resource=\"web-lb\",service=\"web\"} 6\n",
          "vigil_balancer_server_up{resource=\"web-lb\",service=\"web\",server=\"127.0.0.1:" + one.port() + "\",pool=\"default\"} 1\n");
      assertThat(metrics(http, apiPorts.get(first), "wrong-token-wrong-token").statusCode()).isEqualTo(401);

      // A killed backend is taken out after interval x fall; its health shows in the metrics and the history.
      one.kill();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).alias("one marked down")
          .until(() -> metrics(http, apiPorts.get(first), TOKEN).body().contains(
              "vigil_balancer_server_up{resource=\"web-lb\",service=\"web\",server=\"127.0.0.1:" + one.port() + "\",pool=\"default\"} 0"));
      assertThat(names(service, 3)).containsOnly("two");
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).alias("the cluster history records it")
          .until(() -> cluster.call(other, cluster.json.createObjectNode().put("op", "history").put("kind", "AGENT"))
              .path("events").toString().contains("web: real server 127.0.0.1:" + one.port() + " down (remove)"));

      cluster.procs.get(first).destroyForcibly().waitFor();
      List<String> survivors = NODES.stream().filter(n -> !n.equals(first)).toList();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).alias("web-lb recovered on a survivor")
          .until(() -> runningOn(cluster, survivors).size() == 1);
      String now = runningOn(cluster, survivors).getFirst();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .alias("the service answers from " + now).until(() -> names(service, 1).equals(List.of("two")));
      // The new node checks afresh: the dead backend is down there after interval x fall of its own.
      String nowDir = cluster.dirs.get(now).toString();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).alias("status on " + now + " shows one down")
          .until(() -> cluster.cli("balancer", "status", "web-lb", "--state-dir", nowDir) == 0
              && cluster.lastOutput.contains("balancer web (resource web-lb)") && cluster.lastOutput.contains("1/2 real servers up"));
    } finally {
      for (AutoCloseable b : backends) b.close();
    }
  }

  /** Nodes whose daemon runs web-lb, by their own local status. */
  private static List<String> runningOn(LocalCluster cluster, List<String> nodes) {
    List<String> out = new ArrayList<>();
    for (String n : nodes) {
      try {
        JsonNode r = cluster.call(n, cluster.json.createObjectNode().put("op", "local-status"));
        for (JsonNode b : r.path("balancers")) {
          if (b.path("resource").asText().equals("web-lb") && b.path("listening").asBoolean()) out.add(n);
        }
      } catch (IOException e) {
        // a killed daemon does not answer: it runs nothing
      }
    }
    return out;
  }

  private static List<String> names(InetSocketAddress a, int n) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try (Socket s = new Socket()) {
        s.connect(a, 2000);
        s.setSoTimeout(5000);
        out.add(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
      }
    }
    return out;
  }

  private static HttpResponse<String> metrics(HttpClient http, int port, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
