package io.vigil.agents.volume.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.BuiltinAgents;
import io.vigil.agents.volume.control.ControlClient;
import io.vigil.agents.volume.testing.FreePorts;
import io.vigil.agents.volume.testing.Proc;
import io.vigil.exec.AgentExecutor;
import io.vigil.exec.ExecConfig;
import io.vigil.exec.ExecResult;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfRc;
import io.vigil.model.AgentRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * builtin:volume through the real executor, two nodes on loopback, each a real serve process the
 * agent starts; data written through NBD on one Primary is read back through NBD on the other.
 */
@Tag("slow")
class VolumeBuiltinAgentTest {
  private static final AgentRef VOLUME = AgentRef.parse("builtin:volume");
  @TempDir Path dir;
  private AgentExecutor a;
  private AgentExecutor b;
  private Map<String, String> paramsA;
  private Map<String, String> paramsB;

  private void setUp() throws Exception {
    Path key = dir.resolve("vol.key");
    Files.writeString(key, "0123456789abcdef0123456789abcdef");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    int[] ports = FreePorts.sorted(2);
    a = AgentExecutor.system(ExecConfig.defaults(), BuiltinAgents.all(dir.resolve("state-a")));
    b = AgentExecutor.system(ExecConfig.defaults(), BuiltinAgents.all(dir.resolve("state-b")));
    paramsA = params("a", ports[0], ports[1], key);
    paramsB = params("b", ports[1], ports[0], key);
  }

  private Map<String, String> params(String node, int listen, int peer, Path key) {
    Map<String, String> p = new HashMap<>();
    p.put("name", "vol");
    p.put("node", node);
    p.put("backing", dir.resolve(node + ".img").toString());
    p.put("size", "16M");
    p.put("listen", "127.0.0.1:" + listen);
    p.put("peer", "127.0.0.1:" + peer);
    p.put("key-file", key.toString());
    return p;
  }

  private static ExecResult run(AgentExecutor node, Map<String, String> params, String action) {
    return node.run(Invocation.of(VOLUME, "vol", action, params, Duration.ofSeconds(60)));
  }

  private Path stateOf(String node) {
    return dir.resolve("state-" + node).resolve("volume");
  }

  private String status(String node) {
    try {
      return ControlClient.send(stateOf(node).resolve("volume-vol.sock"), "status").text();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @AfterEach
  void stopBoth() {
    if (a != null) run(a, paramsA, "stop");
    if (b != null) run(b, paramsB, "stop");
  }

  @Test
  void promotedVolumeFailsOverThroughTheAgentAndKeepsItsData() throws Exception {
    setUp();
    assertThat(run(a, paramsA, "meta-data").output()).contains("name=\"promote\"", "name=\"backing\"");
    assertThat(run(a, paramsA, "monitor").rc()).isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(run(a, paramsA, "start").rc()).isEqualTo(OcfRc.SUCCESS);
    assertThat(run(b, paramsB, "start").rc()).isEqualTo(OcfRc.SUCCESS);
    assertThat(run(a, paramsA, "start").rc()).as("start is idempotent").isEqualTo(OcfRc.SUCCESS);
    assertThat(run(a, paramsA, "monitor").rc()).isEqualTo(OcfRc.SUCCESS);
    await().atMost(Duration.ofSeconds(20)).until(() -> status("a").contains("connection Connected"));

    ExecResult promoted = run(a, paramsA, "promote");
    assertThat(promoted.rc()).as(promoted.output()).isEqualTo(OcfRc.SUCCESS);
    assertThat(run(a, paramsA, "monitor").rc()).isEqualTo(OcfRc.RUNNING_PROMOTED);
    await().atMost(Duration.ofSeconds(10)).until(() -> status("b").contains("peer a Primary"));
    ExecResult refused = run(b, paramsB, "promote");
    assertThat(refused.rc()).as("dual-primary refused").isEqualTo(OcfRc.ERR_GENERIC);
    assertThat(refused.output()).contains("demote it first (dual-primary is not supported)");

    byte[] data = new byte[4 << 20];
    new Random(42).nextBytes(data);
    Path in = dir.resolve("in.bin");
    Files.write(in, data);
    Proc.ok(60, "nbdcopy", in.toString(), "nbd+unix:///vol?socket=" + stateOf("a").resolve("vol.nbd"));

    assertThat(run(a, paramsA, "demote").rc()).isEqualTo(OcfRc.SUCCESS);
    assertThat(run(a, paramsA, "monitor").rc()).isEqualTo(OcfRc.SUCCESS);
    await().atMost(Duration.ofSeconds(10)).until(() -> status("b").contains("peer a Secondary"));
    assertThat(run(b, paramsB, "promote").rc()).isEqualTo(OcfRc.SUCCESS);
    assertThat(run(b, paramsB, "monitor").rc()).isEqualTo(OcfRc.RUNNING_PROMOTED);

    Path out = dir.resolve("out.bin");
    Proc.ok(60, "nbdcopy", "nbd+unix:///vol?socket=" + stateOf("b").resolve("vol.nbd"), out.toString());
    byte[] back = Files.readAllBytes(out);
    assertThat(java.util.Arrays.copyOf(back, data.length)).isEqualTo(data);

    ExecResult stopped = run(b, paramsB, "stop");
    assertThat(stopped.rc()).as(stopped.output()).isEqualTo(OcfRc.SUCCESS);
    assertThat(run(b, paramsB, "monitor").rc()).isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(Files.exists(stateOf("b").resolve("volume-vol.pid"))).isFalse();
    assertThat(run(b, paramsB, "stop").rc()).as("stop is idempotent").isEqualTo(OcfRc.SUCCESS);
  }

  @Test
  void aClusterNodeOutsideTheAddressesNeverRunsTheVolume() throws Exception {
    setUp();
    AgentExecutor c = AgentExecutor.system(ExecConfig.defaults(), BuiltinAgents.all(dir.resolve("state-c"), new io.vigil.agents.balancer.agent.RunningBalancers((r, e) -> { }, java.time.InstantSource.system()), "c"));
    Map<String, String> shared = new HashMap<>(paramsA);
    shared.remove("node");
    shared.remove("listen");
    shared.remove("peer");
    shared.put("addresses", "a=127.0.0.1:1,b=127.0.0.1:2");
    assertThat(run(c, shared, "monitor").rc()).as("probe finds it stopped").isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(run(c, shared, "stop").rc()).isEqualTo(OcfRc.SUCCESS);
    ExecResult start = run(c, shared, "start");
    assertThat(start.rc()).as("cannot run here, not misconfigured").isEqualTo(OcfRc.ERR_INSTALLED);
    assertThat(start.output()).contains("this node ('c') is not one of the addresses [a, b]");
    assertThat(dir.resolve("state-c").resolve("volume").resolve("volume-vol.pid")).doesNotExist();
  }

  @Test
  void badParametersAreNotConfiguredAndStartNothing() throws Exception {
    setUp();
    Map<String, String> bad = new HashMap<>(paramsA);
    bad.remove("key-file");
    ExecResult r = run(a, bad, "start");
    assertThat(r.rc()).isEqualTo(OcfRc.ERR_CONFIGURED);
    assertThat(r.output()).contains("needs key-file");
    assertThat(Files.exists(stateOf("a").resolve("volume-vol.pid"))).isFalse();
  }
}
