package io.vigil.fencing.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.fencing.DeviceSettings;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.FencingLevel;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.OpDefaults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoverageCheckTest {
  private static ClusterConfig config(Map<String, String> props, List<FencingLevel> levels) {
    return new ClusterConfig("c", List.of(Node.named("alpha"), Node.named("beta")), List.of(), List.of(),
        new ClusterProperties(props), Meta.EMPTY, OpDefaults.EMPTY, levels);
  }

  private static Map<String, DeviceSettings> devices(String... idAndList) {
    Map<String, DeviceSettings> out = new LinkedHashMap<>();
    for (int i = 0; i < idAndList.length; i += 2) {
      out.put(idAndList[i], DeviceSettings.parse(idAndList[i], Map.of("pcmk_host_list", idAndList[i + 1])));
    }
    return out;
  }

  @Test
  void nodeThatNoDeviceCanFenceIsAnError() {
    ClusterConfig c = config(Map.of(), List.of());
    var findings = CoverageCheck.check(c, Topology.of(c, devices("ipmi-alpha", "alpha")));
    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.error()).isTrue();
      assertThat(f.message()).isEqualTo("node 'beta' cannot be fenced by any device (ipmi-alpha fences alpha); "
          + "add a device whose pcmk_host_list or pcmk_host_map names it, or a fencing level");
    });
  }

  @Test
  void everyNodeCoveredIsClean() {
    ClusterConfig c = config(Map.of(), List.of());
    assertThat(CoverageCheck.check(c, Topology.of(c, devices("ipmi-alpha", "alpha", "ipmi-beta", "beta")))).isEmpty();
  }

  @Test
  void aWitnessNeedsNoFenceDevice() {
    ClusterConfig c = new ClusterConfig("c", List.of(Node.named("alpha"), Node.named("beta"),
        new Node("w", "w", Map.of(), false, false, Map.of(), true)), List.of(), List.of(),
        new ClusterProperties(Map.of()), Meta.EMPTY, OpDefaults.EMPTY, List.of());
    assertThat(CoverageCheck.check(c, Topology.of(c, devices("ipmi-alpha", "alpha", "ipmi-beta", "beta")))).isEmpty();
  }

  @Test
  void levelWhoseDeviceCannotFenceTheNodeIsReported() {
    ClusterConfig c = config(Map.of(), List.of(new FencingLevel("beta", false, 1, List.of("ipmi-alpha"))));
    var findings = CoverageCheck.check(c, Topology.of(c, devices("ipmi-alpha", "alpha")));
    assertThat(findings).extracting(CoverageCheck.Finding::message).contains(
        "fencing level 1 for 'beta' uses device 'ipmi-alpha', which cannot fence 'beta' (it fences alpha)",
        "node 'beta' has no fencing level whose devices can all fence it");
  }

  @Test
  void withFencingDisabledTheSameFindingsAreWarnings() {
    ClusterConfig c = config(Map.of("fencing-enabled", "false"), List.of());
    var findings = CoverageCheck.check(c, Topology.of(c, Map.of()));
    assertThat(findings).isNotEmpty().noneMatch(CoverageCheck.Finding::error);
    assertThat(findings).extracting(CoverageCheck.Finding::message).anyMatch(m -> m.contains("fencing is disabled"));
  }

  @Test
  void nodeNameLevelBeatsAPatternAtTheSameIndex() {
    Topology t = new Topology(List.of(new FencingLevel("b.*", true, 1, List.of("pdu")),
        new FencingLevel("beta", false, 1, List.of("ipmi")), new FencingLevel("b.*", true, 2, List.of("pdu"))),
        devices("pdu", "beta", "ipmi", "beta"));
    assertThat(t.plan("beta")).extracting(Level::devices).containsExactly(List.of("ipmi"), List.of("pdu"));
    assertThat(t.plan("alpha")).isEmpty();
  }
}
