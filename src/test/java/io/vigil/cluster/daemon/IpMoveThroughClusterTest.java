package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil ip move ADDRESS NODE} against real daemons: the builtin:ip resource holds its address
 * on a veth interface in a network namespace this test creates (every daemon of the host reaches
 * it, so a move is real: removed by one node's agent, added by the other's).
 */
@Tag("slow")
class IpMoveThroughClusterTest {
  static final String ADDRESS = "10.77.0.201";
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;
  String ns;
  String err = "";

  @BeforeEach
  void namespace() throws Exception {
    ns = "vipm" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    sh("ip", "netns", "add", ns);
    // A veth pair inside the namespace (this kernel has no dummy driver); vd0 carries the address.
    sh("ip", "-n", ns, "link", "add", "vd0", "type", "veth", "peer", "name", "vd1");
    sh("ip", "-n", ns, "link", "set", "vd0", "up");
    sh("ip", "-n", ns, "link", "set", "vd1", "up");
  }

  @AfterEach
  void removeNamespace() throws Exception {
    new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void moveGoesToTheNamedNodeAndRefusesWhatCannotBeDone() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, List.of("a", "b"))) {
      cluster.form();
      apply(cluster, "nodes: [{name: a}, {name: b}]");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).alias("web-ip runs on one node")
          .until(() -> runningOn(cluster, "a").size() == 1 && addressPresent());
      String from = runningOn(cluster, "a").getFirst();
      String to = from.equals("a") ? "b" : "a";
      String dir = cluster.dirs.get(from).toString();
      long epoch = cluster.status(from).path("epoch").asLong();

      assertThat(cli(cluster, "ip", "move", "10.77.0.202", to, "--state-dir", dir)).isEqualTo(1);
      assertThat(err).contains("vigil ip move: no builtin:ip (or IPaddr2) resource", "has address 10.77.0.202",
          "configured: " + ADDRESS + " (web-ip)");
      assertThat(cli(cluster, "ip", "move", ADDRESS, "zeta", "--state-dir", dir)).isEqualTo(1);
      assertThat(err).contains("unknown node 'zeta'");
      assertThat(cli(cluster, "ip", "move", ADDRESS, to, "--dev", "eth0", "--state-dir", dir)).isEqualTo(2);
      assertThat(cluster.status(from).path("epoch").asLong()).as("refusals change nothing").isEqualTo(epoch);

      assertThat(cli(cluster, "ip", "move", ADDRESS, to, "--state-dir", dir)).as(() -> err).isZero();
      assertThat(cluster.lastOutput).contains("move web " + to, ADDRESS + " (resource web-ip in group web) is active on " + to);
      assertThat(runningOn(cluster, to)).containsExactly(to);
      assertThat(addressPresent()).isTrue();
      assertThat(cluster.status(to).path("warnings").toString()).contains("web moved to " + to);

      assertThat(cli(cluster, "ip", "move", ADDRESS, to, "--state-dir", dir)).isZero();
      assertThat(cluster.lastOutput).contains("is already active on " + to + "; nothing was changed");

      assertThat(cli(cluster, "ip", "move", ADDRESS, from, "--no-wait", "--lifetime", "10m", "--state-dir", dir)).as(() -> err).isZero();
      assertThat(cluster.lastOutput).contains("not waiting (--no-wait)", "for PT10M");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).alias("web-ip back on " + from)
          .until(() -> runningOn(cluster, from).equals(List.of(from)) && addressPresent());

      // Two nodes, one killed: the survivor has no quorum (and cannot record the loss either).
      cluster.procs.get(to).destroyForcibly().waitFor();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).alias(from + " without quorum")
          .until(() -> !cluster.status(from).path("quorum").path("hasQuorum").asBoolean(true));
      assertThat(cli(cluster, "ip", "move", ADDRESS, to, "--state-dir", dir)).isEqualTo(1);
      assertThat(err).contains("vigil ip move: node " + from + " has no quorum; nothing was changed");
    }
  }

  @Test
  void inAOneNodeClusterMovingToTheOnlyNodeIsANoOp() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, List.of("solo"))) {
      cluster.form();
      apply(cluster, "nodes: [{name: solo}]");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).alias("web-ip runs on solo")
          .until(() -> runningOn(cluster, "solo").equals(List.of("solo")) && addressPresent());
      String dir = cluster.dirs.get("solo").toString();
      long epoch = cluster.status("solo").path("epoch").asLong();
      assertThat(cli(cluster, "ip", "move", ADDRESS + "/32", "solo", "--state-dir", dir)).as(() -> err).isZero();
      assertThat(cluster.lastOutput).contains("one-node cluster: " + ADDRESS + " (resource web-ip in group web) is active on solo,"
          + " the only node; nothing to move, nothing was changed");
      assertThat(cluster.status("solo").path("epoch").asLong()).isEqualTo(epoch);
      assertThat(cli(cluster, "ip", "move", ADDRESS, "other", "--state-dir", dir)).isEqualTo(1);
      assertThat(err).contains("unknown node 'other'");
    }
  }

  private void apply(LocalCluster cluster, String nodes) throws Exception {
    Path cfg = root.resolve("cluster.yaml");
    Files.writeString(cfg, """
        cluster: demo
        properties: {fencing-enabled: false}
        %s
        resources:
          - group: web
            members:
              - primitive: web-ip
                agent: builtin:ip
                params: {address: %s/32, interface: vd0, netns: %s, probe: "false", announce-count: "0"}
                operations: [{name: monitor, interval: 2s}]
        """.formatted(nodes, ADDRESS, ns));
    String first = cluster.names.getFirst();
    assertThat(cluster.cli("apply", "-f", cfg.toString(), "--reason", "ip move test", "--state-dir",
        cluster.dirs.get(first).toString())).isZero();
  }

  /** Runs a command, keeping its standard error in {@link #err}. */
  private int cli(LocalCluster cluster, String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return cluster.cli(args);
    } finally {
      System.setErr(old);
      err = buf.toString(StandardCharsets.UTF_8);
    }
  }

  /** Where web-ip runs according to {@code viewer}'s status. */
  private static List<String> runningOn(LocalCluster cluster, String viewer) {
    for (JsonNode r : cluster.status(viewer).path("resources")) {
      if (r.path("instance").asText().equals("web-ip")) {
        List<String> on = new java.util.ArrayList<>();
        r.path("runningOn").fieldNames().forEachRemaining(on::add);
        return on;
      }
    }
    return List.of();
  }

  private boolean addressPresent() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ip", "-n", ns, "-o", "addr", "show", "dev", "vd0").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out.contains(" " + ADDRESS + "/32");
  }

  private static void sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
  }
}
