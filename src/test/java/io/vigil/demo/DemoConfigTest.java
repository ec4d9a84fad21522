package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.Group;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoConfigTest {
  private static ConfigLoader.Result load(String yaml) {
    return new ConfigLoader(AgentCatalog.NONE).check(yaml, "demo.yaml");
  }

  @Test
  void theNamespaceConfigurationIsAValidGroupWithAFloatingIpAFenceDeviceAndFencingOn() {
    DemoLayout l = DemoLayout.netns(Path.of("/tmp/vigil-demo"), 3, "vdemo");
    ConfigLoader.Result r = load(DemoConfig.yaml(l, false));
    assertThat(r.errors()).isEmpty();
    var c = r.config().orElseThrow();
    assertThat(c.properties().values()).containsEntry("fencing-enabled", "true").doesNotContainKey("node-timeout");
    Group web = (Group) c.resources().stream().filter(x -> x.id().equals("web")).findFirst().orElseThrow();
    assertThat(web.members()).extracting(m -> m.id()).containsExactly("web-ip", "web-http");
    assertThat(DemoConfig.yaml(l, false)).contains("pcmk_host_map: \"alpha:vdemo-h1;beta:vdemo-h2;gamma:vdemo-h3\"")
        .contains("address: 10.77.0.100/24");
  }

  @Test
  void fastSettingsShortenTheNodeTimeoutAndSkipTheArpProbe() {
    String yaml = DemoConfig.yaml(DemoLayout.netns(Path.of("/tmp/d"), 3, "vdemo"), true);
    assertThat(load(yaml).errors()).isEmpty();
    assertThat(yaml).contains("node-timeout: 100ms").contains("probe: \"false\"");
  }

  @Test
  void theServiceRunsAsTheGivenUserElseAsTheAgentsDefault() {
    DemoLayout l = DemoLayout.netns(Path.of("/tmp/d"), 3, "vdemo");
    String yaml = DemoConfig.yaml(l, false, true, java.util.Optional.of("vigil-demo"), false);
    var r = load(yaml);
    assertThat(r.errors()).isEmpty();
    var service = r.config().orElseThrow().resources().stream()
        .flatMap(x -> x instanceof io.vigil.model.Group g ? g.members().stream() : java.util.stream.Stream.of(x))
        .filter(x -> x instanceof io.vigil.model.Primitive p && p.id().equals(DemoConfig.SERVICE)).findFirst().orElseThrow();
    assertThat(((io.vigil.model.Primitive) service).params()).containsEntry("user", "vigil-demo");
    assertThat(DemoConfig.yaml(l, false, true)).doesNotContain("user:");
  }

  @Test
  void withAWitnessTheLastNodeVotesAndRunsNothing() {
    DemoLayout l = DemoLayout.netns(Path.of("/tmp/d"), 3, "vdemo");
    var r = load(DemoConfig.yaml(l, false, true, java.util.Optional.empty(), true));
    assertThat(r.errors()).isEmpty();
    assertThat(r.config().orElseThrow().nodes()).extracting(io.vigil.model.Node::witness).containsExactly(false, false, true);
  }

  @Test
  void theLoopbackConfigurationHasNoAddressAndNoFencing() {
    String yaml = DemoConfig.yaml(DemoLayout.loopback(Path.of("/tmp/d"), 3, new int[] {7000, 7010, 7020, 7030}), false);
    assertThat(load(yaml).errors()).isEmpty();
    assertThat(yaml).contains("fencing-enabled: false").doesNotContain("builtin:ip").doesNotContain("stonith")
        .contains("--bind 127.0.0.1 --port 7030");
  }

  @Test
  void aDirectoryThatWouldNeedShellQuotingIsRefused() {
    DemoLayout l = DemoLayout.netns(Path.of("/tmp/my demo;rm"), 3, "vdemo");
    assertThatThrownBy(() -> DemoConfig.yaml(l, false)).hasMessageContaining("/tmp/my demo;rm")
        .hasMessageContaining("letters, digits and / . _ - only");
  }

  @Test
  void layoutsCheckTheirInputs() {
    assertThatThrownBy(() -> DemoLayout.netns(Path.of("/tmp/d"), 2, "vdemo")).hasMessageContaining("3 to 5 nodes, got 2");
    assertThatThrownBy(() -> DemoLayout.netns(Path.of("/tmp/d"), 3, "Bad-Prefix")).hasMessageContaining("namespace prefix 'Bad-Prefix'");
    DemoLayout l = DemoLayout.netns(Path.of("/tmp/d"), 5, "t1");
    assertThat(l.nodes()).extracting(DemoLayout.Node::namespace).containsExactly("t1-h1", "t1-h2", "t1-h3", "t1-h4", "t1-h5");
    assertThat(l.bridge()).isEqualTo("t1br0");
    assertThat(l.node("epsilon").raftAddress()).isEqualTo("10.77.0.15:7100");
    assertThatThrownBy(() -> l.node("zeta")).hasMessageContaining("no demo node 'zeta'");
  }
}
