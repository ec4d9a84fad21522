package io.vigil.exec;

import io.vigil.model.AgentRef;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ocf:heartbeat:IPaddr2 inside a network namespace the test creates: the executor runs the agent
 * as {@code ip netns exec NS /usr/lib/ocf/resource.d/heartbeat/IPaddr2 ACTION} (a command
 * prefix), and the address is checked with {@code ip -n NS addr}.
 */
@Tag("slow")
class IPaddr2NetnsTest {
  private final String ns = "vx-exec-" + UUID.randomUUID().toString().substring(0, 6);
  private final AgentRef ipaddr2 = AgentRef.parse("ocf:heartbeat:IPaddr2");
  private final Map<String, String> params = Map.of("ip", "10.77.0.200", "cidr_netmask", "24", "nic", "v0");
  private AgentExecutor executor;

  @BeforeEach
  void createNamespace() throws Exception {
    sh("ip", "netns", "add", ns);
    sh("ip", "-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
    sh("ip", "-n", ns, "link", "set", "lo", "up");
    sh("ip", "-n", ns, "link", "set", "v0", "up");
    sh("ip", "-n", ns, "link", "set", "v1", "up");
    sh("ip", "-n", ns, "addr", "add", "10.77.0.1/24", "dev", "v0");
    executor = AgentExecutor.system(ExecConfig.defaults(), new BuiltinRegistry())
        .withCommandPrefix(List.of("ip", "netns", "exec", ns));
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    sh("ip", "netns", "del", ns);
  }

  private ExecResult run(String action) {
    return executor.run(Invocation.of(ipaddr2, "vip-" + ns, action, params, Duration.ofSeconds(20)));
  }

  @Test
  void addressIsReallyAddedAndRemovedInsideTheNamespace() throws Exception {
    assertThat(run("monitor").rc()).isEqualTo(OcfRc.NOT_RUNNING);
    ExecResult start = run("start");
    assertThat(start.rc()).as(start.output()).isEqualTo(OcfRc.SUCCESS);
    assertThat(sh("ip", "-n", ns, "-o", "addr", "show", "dev", "v0")).contains("inet 10.77.0.200/24");
    assertThat(run("monitor").rc()).isEqualTo(OcfRc.SUCCESS);
    assertThat(sh("ip", "-o", "addr")).as("host namespace untouched").doesNotContain("10.77.0.200");
    ExecResult stop = run("stop");
    assertThat(stop.rc()).as(stop.output()).isEqualTo(OcfRc.SUCCESS);
    assertThat(sh("ip", "-n", ns, "-o", "addr", "show", "dev", "v0")).doesNotContain("10.77.0.200");
    assertThat(run("monitor").rc()).isEqualTo(OcfRc.NOT_RUNNING);
  }

  @Test
  void missingInterfaceIsAConfigurationErrorNotACrash() {
    ExecResult r = executor.run(Invocation.of(ipaddr2, "vip-bad", "start",
        Map.of("ip", "10.77.0.201", "cidr_netmask", "24", "nic", "nosuchnic"), Duration.ofSeconds(20)));
    assertThat(r.status()).isEqualTo(ExecStatus.DONE);
    assertThat(r.classification()).isIn(Classification.HARD_ERROR, Classification.FATAL_ERROR, Classification.SOFT_ERROR);
    assertThat(r.rc()).isNotZero();
  }

  private static String sh(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(argv))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }
}
