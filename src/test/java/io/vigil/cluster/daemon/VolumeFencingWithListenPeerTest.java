package io.vigil.cluster.daemon;

import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.NODES;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.WAIT;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.attribute;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.agents.volume.agent.NodeAttributes;
import io.vigil.agents.volume.agent.VolumeBuiltinAgent;
import io.vigil.agents.volume.testing.FreePorts;
import io.vigil.exec.ControlClient;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfRc;
import io.vigil.model.AgentRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource-level fencing with listen/peer parameters: {@code vigil apply} on a real daemon refuses
 * a volume with listen/peer but without {@code nodes}, and one whose nodes are not cluster nodes;
 * with {@code nodes: a,b} the agent (run here against real daemons' control sockets, since one host
 * cannot give two nodes different listen addresses through one parameter set) starts two real serve
 * processes that fence through the cluster: b's link is cut, a write through NBD on the Primary a
 * completes only after the cluster holds the mark on b, and b's agent then refuses its promotion.
 */
@Tag("slow")
class VolumeFencingWithListenPeerTest {
  private static final AgentRef VOLUME = AgentRef.parse("builtin:volume");
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  /** The daemon's replicated node attributes through its control socket, as the daemon hands them to its built-in agents. */
  private record SocketAttributes(Path socket) implements NodeAttributes {
    @Override
    public Path controlSocket() {
      return socket;
    }

    @Override
    public String get(String node, String name) {
      try {
        JsonNode r = new ControlClient(socket).call(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
            .put("op", "node-attribute").put("action", "query").put("name", name).put("all", true));
        for (JsonNode v : r.path("values")) if (v.path("node").asText().equals(node)) return v.path("value").asText();
        return null;
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public void set(String node, String name, String value) throws IOException {
      var req = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("op", "node-attribute")
          .put("action", value == null ? "delete" : "set").put("node", node).put("name", name);
      if (value != null) req.put("value", value);
      JsonNode r = new ControlClient(socket).call(req);
      if (!r.path("ok").asBoolean()) throw new IOException(r.toString());
    }
  }

  private static String yaml(String volParams) {
    return """
        cluster: demo
        properties: {fencing-enabled: false}
        nodes: [{name: a}, {name: b}, {name: c}]
        resources:
          - clone: vol-clone
            meta: {promotable: true, clone-max: 2, promoted-max: 1}
            resource:
              primitive: vol
              agent: builtin:volume
              params: {name: vol, backing: vol.img, size: 16M, listen: "0.0.0.0:7789", peer: "vol-peer:7789", key-file: /etc/vigil/vol.key%s}
        """.formatted(volParams);
  }

  private static JsonNode dryRun(LocalCluster cluster, String yaml) throws IOException {
    return cluster.call("a", cluster.json.createObjectNode().put("op", "apply").put("yaml", yaml).put("file", "cluster.yaml")
        .put("dryRun", true).put("reason", "listen/peer test"));
  }

  private static int act(VolumeBuiltinAgent agent, Map<String, String> params, String action, StringBuilder out) throws Exception {
    StringWriter w = new StringWriter();
    int rc = agent.run(Invocation.of(VOLUME, "vol", action, params, Duration.ofSeconds(60)), new PrintWriter(w, true));
    out.setLength(0);
    out.append(w);
    return rc;
  }

  @Test
  void applyNeedsNodesWithListenAndPeerAndThenThePrimaryFencesThePeersNode() throws Exception {
    try (LocalCluster cluster = new LocalCluster(root, NODES)) {
      cluster.form();
      JsonNode missing = dryRun(cluster, yaml(""));
      assertThat(missing.path("ok").asBoolean()).isFalse();
      assertThat(missing.path("problems").toString()).contains("resource 'vol': builtin:volume with listen/peer needs nodes",
          "record that node Outdated");
      JsonNode unknown = dryRun(cluster, yaml(", nodes: \"a,x\""));
      assertThat(unknown.path("ok").asBoolean()).isFalse();
      assertThat(unknown.path("problems").toString()).contains("names node 'x' (in nodes), which is not a node of this cluster");
      JsonNode fine = dryRun(cluster, yaml(", nodes: \"a,b\""));
      assertThat(fine.path("ok").asBoolean()).as(fine.toString()).isTrue();

      Path key = root.resolve("vol.key");
      Files.writeString(key, "0123456789abcdef0123456789abcdef");
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      int[] ports = FreePorts.sorted(2);
      Map<String, VolumeBuiltinAgent> agents = new HashMap<>();
      Map<String, Map<String, String>> params = new HashMap<>();
      for (String n : List.of("a", "b")) {
        agents.put(n, new VolumeBuiltinAgent(root.resolve("vol-" + n), n,
            new SocketAttributes(io.vigil.cluster.daemon.StateDir.socket(cluster.dirs.get(n)))));
        Map<String, String> p = new HashMap<>();
        p.put("name", "vol");
        p.put("backing", "vol.img");
        p.put("size", "16M");
        p.put("listen", "127.0.0.1:" + (n.equals("a") ? ports[0] : ports[1]));
        p.put("peer", "127.0.0.1:" + (n.equals("a") ? ports[1] : ports[0]));
        p.put("nodes", "a,b");
        p.put("key-file", key.toString());
        params.put(n, p);
      }
      StringBuilder out = new StringBuilder();
      try {
        for (String n : List.of("a", "b")) assertThat(act(agents.get(n), params.get(n), "start", out)).as(out::toString).isEqualTo(OcfRc.SUCCESS);
        Path sockA = root.resolve("vol-a").resolve("volume-vol.sock");
        Path sockB = root.resolve("vol-b").resolve("volume-vol.sock");
        await().atMost(WAIT).until(() -> io.vigil.agents.volume.control.ControlClient.send(sockB, "status").text()
            .contains("connection Connected"));
        assertThat(act(agents.get("a"), params.get("a"), "promote", out)).as(out::toString).isEqualTo(OcfRc.SUCCESS);

        // b's link is cut; a write on a completes only once the cluster holds the mark on b.
        assertThat(io.vigil.agents.volume.control.ControlClient.send(sockB, "disconnect").ok()).isTrue();
        byte[] data = new byte[1 << 20];
        new Random(5).nextBytes(data);
        Path in = root.resolve("in.bin");
        Files.write(in, data);
        run(60, "nbdcopy", "--flush", in.toString(), "nbd+unix:///vol?socket=" + root.resolve("vol-a").resolve("vol.nbd"));
        String mark = attribute(cluster, "no-promote-vol").get("b");
        assertThat(mark).as("the mark on b, recorded before the write was acknowledged").isNotNull().endsWith(" by a");
        assertThat(io.vigil.agents.volume.control.ControlClient.send(sockA, "status").text())
            .contains("generations " + mark.substring(0, 16));

        assertThat(act(agents.get("b"), params.get("b"), "promote", out)).isEqualTo(OcfRc.ERR_GENERIC);
        assertThat(out.toString()).contains("is Outdated: node 'a' wrote generation " + mark.substring(0, 16));
        assertThat(io.vigil.agents.volume.control.ControlClient.send(sockB, "status").text()).contains("disk Outdated");
      } finally {
        for (String n : List.of("a", "b")) act(agents.get(n), params.get(n), "stop", out);
      }
    }
  }
}
