package io.vigil.fencing.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.FenceResult.Power;
import io.vigil.model.AgentRef;
import io.vigil.model.Primitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's fence-agents (fence_dummy, fence_ipmilan) run unchanged through the device layer. */
class RealFenceAgentTest {
  @TempDir Path dir;
  private final DeviceFactory factory = DeviceFactory.system();

  @BeforeAll
  static void agentsInstalled() {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/fence_dummy")), "fence-agents is not installed");
  }

  private Primitive dummy(Map<String, String> params) {
    return Primitive.of("dummy", AgentRef.parse("stonith:fence_dummy"), params);
  }

  @Test
  void metadataOfRealAgentsParsesAndNamesTheirParameters() throws Exception {
    for (String agent : List.of("fence_dummy", "fence_ipmilan", "fence_virsh")) {
      var d = factory.create(Primitive.of("d", AgentRef.parse("stonith:" + agent), Map.of("pcmk_host_list", "a")));
      FenceResult r = d.run(FenceAction.METADATA, null, Duration.ofSeconds(20));
      assertThat(r.succeeded()).as(agent).isTrue();
      AgentMetadata m = AgentMetadata.parse(agent, r.output());
      assertThat(m.agent()).isEqualTo(agent);
      assertThat(m.actions()).contains("off", "status", "monitor");
      assertThat(m.parameters()).containsKey("action");
    }
  }

  @Test
  void validationAgainstRealMetadataFindsTyposAndBadValuesThenRunsValidateAll() throws Exception {
    Path status = dir.resolve("st");
    assertThat(factory.validate(dummy(Map.of("status_file", status.toString(), "pcmk_host_list", "n1")),
        Duration.ofSeconds(20))).isEmpty();
    List<String> problems = factory.validate(dummy(Map.of("status_fle", "/x")), Duration.ofSeconds(20));
    assertThat(problems).anyMatch(p -> p.contains("unknown parameter 'status_fle'") && p.contains("did you mean 'status_file'"));
    Primitive badIpmi = Primitive.of("ipmi", AgentRef.parse("stonith:fence_ipmilan"),
        Map.of("ip", "192.0.2.1", "username", "admin", "method", "kick", "lanplus", "maybe"));
    assertThat(factory.validate(badIpmi, Duration.ofSeconds(20))).containsExactly(
        "fence device 'ipmi' (fence_ipmilan): parameter 'lanplus' is 'maybe', expected a boolean (0/1, true/false)",
        "fence device 'ipmi' (fence_ipmilan): parameter 'method' is 'kick', expected one of onoff, cycle");
    Primitive ipmi = new Primitive("ipmi", AgentRef.parse("stonith:fence_ipmilan"),
        Map.of("ip", "192.0.2.1", "username", "admin", "lanplus", "maybe"),
        Map.of("password", dir.resolve("none").toString()), null, List.of(), Map.of());
    assertThat(factory.validate(ipmi, Duration.ofSeconds(20)))
        .anyMatch(p -> p.contains("secret parameter 'password'") && p.contains("does not exist"));
  }

  @Test
  void realAgentTurnsPowerOffAndStatusReportsIt() throws Exception {
    Path status = dir.resolve("power");
    Files.writeString(status, "on");
    var d = factory.create(dummy(Map.of("status_file", status.toString(), "pcmk_host_list", "n1")));
    assertThat(d.run(FenceAction.STATUS, "n1", Duration.ofSeconds(20)).power()).contains(Power.ON);
    assertThat(d.run(FenceAction.OFF, "n1", Duration.ofSeconds(30)).succeeded()).isTrue();
    assertThat(Files.readString(status)).isEqualTo("off");
    assertThat(d.run(FenceAction.STATUS, "n1", Duration.ofSeconds(20)).power()).contains(Power.OFF);
  }

  @Test
  void realAgentFailsWhenItCannotReachItsDevice() throws Exception {
    var d = factory.create(dummy(Map.of("type", "fail", "power_timeout", "1", "pcmk_host_list", "n1")));
    FenceResult r = d.run(FenceAction.OFF, "n1", Duration.ofSeconds(30));
    assertThat(r.succeeded()).isFalse();
  }

  @Test
  void applyTimeChecksAskTheInstalledAgentsMetadataOnce() {
    var catalog = FenceAgentCatalog.system();
    java.util.function.Function<String, List<String>> errors = yaml -> new io.vigil.config.ConfigLoader(catalog)
        .check("cluster: c\nnodes: [{name: a}, {name: b}]\nresources:\n" + yaml, "c.yaml").errors().stream()
        .map(io.vigil.config.Problem::toString).toList();
    assertThat(errors.apply("  - {primitive: d, agent: stonith:fence_dummy, params: {status_file: /tmp/x, pcmk_host_list: a b}}\n"))
        .isEmpty();
    assertThat(errors.apply("  - {primitive: d, agent: stonith:fence_dummy, params: {status_fle: /tmp/x, pcmk_host_list: a b}}\n"))
        .singleElement().asString()
        .contains("fence device 'd': agent stonith:fence_dummy has no parameter 'status_fle' (did you mean 'status_file'?)")
        .contains("(it takes: action, random_sleep_range, status_file, type, ");
    assertThat(errors.apply("  - {primitive: v, agent: stonith:fence_virsh, params: {login: root, pcmk_host_list: a b}}\n"))
        .singleElement().asString().endsWith("fence device 'v': agent stonith:fence_virsh requires parameter 'ip', which is not set");
    assertThat(errors.apply("  - {primitive: v, agent: stonith:fence_virsh, params: {ip: xen1, username: root, pcmk_host_list: a b}}\n"))
        .isEmpty();
  }

  @Test
  void aHangingAgentsMetadataIsCutOffAtTheTimeout() throws Exception {
    Path agent = dir.resolve("fence_hang");
    Files.writeString(agent, "#!/bin/sh\nsleep 60\n");
    agent.toFile().setExecutable(true);
    var catalog = new FenceAgentCatalog(dir, new GroupProcessRunner(), Duration.ofMillis(500));
    long start = System.nanoTime();
    assertThat(catalog.describe(AgentRef.parse("stonith:fence_hang"))).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(catalog.notDescribed(AgentRef.parse("stonith:fence_hang"))).isEqualTo("gave no usable metadata: metadata timed out after 500 ms");
  }
}
