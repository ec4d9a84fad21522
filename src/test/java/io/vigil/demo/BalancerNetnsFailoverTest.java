package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.exec.ControlClient;
import io.vigil.cluster.daemon.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The picture for real: a group {builtin:ip 10.77.0.100, builtin:balancer on 10.77.0.100:8080}
 * run by three vigild processes, each in its own network namespace on a private bridge, in front
 * of two backends (python http.server in the client's namespace). A client in its own namespace
 * reaches both backends through the floating address; the node running the group loses power
 * (cable pulled, every process killed); the address and the balancer come up on a survivor and
 * the client reaches the backends again.
 */
@Tag("slow")
class BalancerNetnsFailoverTest {
  /** Requests per round of the client; each answered one is a connection the proxy counts. */
  static final int ROUND = 4;
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path tmp;
  final ObjectMapper json = new ObjectMapper();
  final Commands cmd = new Commands();

  @Test
  void floatingAddressAndBalancerFailOverTogether() throws Exception {
    assumeThat(NetnsLab.available(cmd)).as("network namespaces (root)").isTrue();
    DemoLayout layout = DemoLayout.netns(tmp.resolve("lab"), 3, "vbn" + ProcessHandle.current().pid() % 10_000);
    NetnsLab lab = new NetnsLab(layout, cmd);
    List<Process> backends = new ArrayList<>();
    try {
      Files.createDirectories(layout.base());
      lab.up();
      for (String name : List.of("one", "two")) {
        Path docs = Files.createDirectories(tmp.resolve("www-" + name));
        Files.writeString(docs.resolve("name"), name + "\n");
        int port = name.equals("one") ? 9001 : 9002;
        backends.add(new ProcessBuilder("ip", "netns", "exec", layout.clientNamespace(), "/usr/bin/python3", "-m", "http.server",
            String.valueOf(port), "--bind", DemoLayout.SUBNET + "250", "--directory", docs.toString())
            .redirectErrorStream(true).redirectOutput(tmp.resolve("www-" + name + ".log").toFile()).start());
      }
      Path vs = tmp.resolve("web-vs.yaml");
      Files.writeString(vs, """
          name: web
          listen: 10.77.0.100:8080
          scheduler: rr
          check: {type: tcp, interval: 500ms, timeout: 500ms, rise: 1, fall: 2}
          real-servers:
            - {address: 10.77.0.250:9001}
            - {address: 10.77.0.250:9002}
          proxy: {threads: 1}
          """);
      DemoCluster cluster = new DemoCluster(layout, Launcher.current(io.vigil.cli.Main.class.getName()));
      cluster.init();
      for (DemoLayout.Node n : layout.nodes().subList(1, 3)) cluster.join(n);
      cluster.awaitLeader(layout.nodes());
      DemoLayout.Node first = layout.nodes().getFirst();
      cluster.apply(first, """
          cluster: demo
          properties: {fencing-enabled: false}
          nodes: [{name: alpha}, {name: beta}, {name: gamma}]
          resources:
            - group: web
              members:
                - primitive: web-ip
                  agent: builtin:ip
                  params: {address: 10.77.0.100/24, interface: eth0}
                  operations: [{name: monitor, interval: 2s}]
                - primitive: web-lb
                  agent: builtin:balancer
                  params: {config: %s}
                  operations: [{name: monitor, interval: 2s}]
          """.formatted(vs));
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).alias("web-lb runs")
          .until(() -> cluster.runningOn(first, "web-lb").isPresent());
      String owner = cluster.runningOn(first, "web-lb").orElseThrow();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).alias("the client reaches both backends")
          .until(() -> roundAnsweredInFullByBoth(layout));
      JsonNode local = new ControlClient(StateDir.socket(layout.node(owner).stateDir()))
          .call(json.createObjectNode().put("op", "local-status"));
      assertThat(local.path("balancers").get(0).path("totals").path("connections").asLong()).isGreaterThanOrEqualTo(ROUND);
      assertThat(local.path("balancers").get(0).path("listen").asText()).isEqualTo("10.77.0.100:8080");

      lab.powerOff(layout.node(owner));
      DemoLayout.Node viewer = layout.nodes().stream().filter(n -> !n.name().equals(owner)).findFirst().orElseThrow();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).alias("the group runs on a survivor")
          .until(() -> cluster.runningOn(viewer, "web-lb").filter(n -> !n.equals(owner)).isPresent()
              && cluster.runningOn(viewer, "web-ip").filter(n -> !n.equals(owner)).isPresent());
      String now = cluster.runningOn(viewer, "web-lb").orElseThrow();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).alias("the client reaches the backends via " + now)
          .until(() -> roundAnsweredInFullByBoth(layout));
      JsonNode after = new ControlClient(StateDir.socket(layout.node(now).stateDir()))
          .call(json.createObjectNode().put("op", "local-status"));
      assertThat(after.path("balancers").get(0).path("resource").asText()).isEqualTo("web-lb");
      assertThat(after.path("balancers").get(0).path("totals").path("connections").asLong()).isGreaterThanOrEqualTo(ROUND);
    } finally {
      backends.forEach(Process::destroyForcibly);
      lab.down();
    }
  }

  /**
   * Whether all {@link #ROUND} requests of a round were answered, both backends among them: the
   * counters checked afterwards count every one of them (a round with a failed request, e.g. one
   * sent while the client still had the old node's address, proves less).
   */
  private boolean roundAnsweredInFullByBoth(DemoLayout layout) {
    List<String> names = fetchSome(layout, ROUND);
    return names.size() == ROUND && names.containsAll(List.of("one", "two"));
  }

  /** Names answered by {@code n} sequential requests from the client's namespace (failed requests count as nothing). */
  private List<String> fetchSome(DemoLayout layout, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try {
        out.add(cmd.run("ip", "netns", "exec", layout.clientNamespace(), "curl", "-s", "--max-time", "2",
            "http://10.77.0.100:8080/name").strip());
      } catch (IOException e) {
        // not reachable yet
      }
    }
    return out;
  }
}
