package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fence device monitor through three real daemons: a script device whose monitor fails while a flag file
 * exists. The leader monitors it every second; every node's status shows it failing (text and JSON, with a
 * warning), the history records the failure and the recovery once each.
 */
@Tag("slow")
class DeviceMonitorThroughClusterTest {
  static final List<String> NODES = List.of("a", "b", "c");
  static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  @Test
  void aFailingDeviceMonitorShowsInStatusAndHistoryAndItsRecoveryToo() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, NODES)) {
      cluster.form();
      Path broken = root.resolve("pdu-broken");
      Path device = root.resolve("pdu.sh");
      Files.writeString(device, """
          #!/bin/sh
          action=""
          while read -r line; do case $line in action=*) action=${line#action=} ;; esac; done
          if [ "$action" = monitor ] && [ -e %s ]; then echo "pdu: connection refused" >&2; exit 1; fi
          exit 0
          """.formatted(broken));
      Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(broken, "");
      Path cfg = root.resolve("cluster.yaml");
      Files.writeString(cfg, """
          cluster: demo
          properties: {fencing-enabled: true}
          nodes: [{name: a}, {name: b}, {name: c}]
          resources:
            - primitive: pdu
              agent: stonith:script
              params: {path: %s, pcmk_host_list: "a b c"}
              operations: [{name: monitor, interval: 1s}]
          """.formatted(device));
      String dirA = cluster.dirs.get("a").toString();
      assertThat(cluster.cli("apply", "-f", cfg.toString(), "--reason", "test", "--state-dir", dirA)).isZero();
      for (String n : NODES) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("status of " + n + " shows the device failing")
            .until(() -> device(cluster.status(n)).path("state").asText().equals("FAILING"));
      }
      JsonNode st = cluster.status("b");
      assertThat(st.path("watchdog").asText()).as("this node's self-fencing").startsWith("supervisor pid ").contains("fed (quorate)");
      assertThat(device(st).path("message").asText()).contains("connection refused");
      assertThat(st.path("warnings").toString()).contains("fence device pdu: monitor FAILING since");
      assertThat(cluster.cli("status", "--state-dir", cluster.dirs.get("c").toString())).isZero();
      assertThat(cluster.lastOutput).contains("warning: fence device pdu: monitor FAILING").containsPattern("pdu +FAILING since");

      Files.delete(broken);
      await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).alias("the device is ok again")
          .until(() -> device(cluster.status("c")).path("state").asText().equals("ok"));
      assertThat(cluster.status("c").path("warnings").toString()).doesNotContain("fence device pdu");
      assertThat(cluster.cli("fence", "history", "--state-dir", dirA)).isZero();
      assertThat(cluster.lastOutput).contains("fence device pdu monitor FAILING").contains("fence device pdu monitor ok again");
    }
  }

  private static JsonNode device(JsonNode status) {
    for (JsonNode d : status.path("fenceDevices")) if (d.path("device").asText().equals("pdu")) return d;
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
