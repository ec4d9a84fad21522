package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.fencing.topology.CoverageCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class FencingCoverageAtApplyTest {
  private static List<CoverageCheck.Finding> coverage(String yaml) {
    return ControlApi.fencingCoverage(new ConfigLoader(AgentCatalog.NONE).check(yaml, "c.yaml").config().orElseThrow());
  }

  @Test
  void aNodeNoDeviceCanFenceIsAnErrorWhileFencingIsEnabledAndAWarningOtherwise() {
    String nodes = "nodes: [{name: a}, {name: b}]\n";
    String oneDevice = "resources:\n  - primitive: f\n    agent: stonith:fence_dummy\n    params: {pcmk_host_list: a}\n";
    assertThat(coverage("cluster: c\n" + nodes + oneDevice)).singleElement()
        .satisfies(f -> assertThat(f.error()).isTrue())
        .satisfies(f -> assertThat(f.message()).contains("node 'b' cannot be fenced by any device"));
    assertThat(coverage("cluster: c\nproperties: {fencing-enabled: false}\n" + nodes + oneDevice))
        .noneMatch(CoverageCheck.Finding::error);
    String both = "resources:\n  - primitive: f\n    agent: stonith:fence_dummy\n    params: {pcmk_host_list: \"a b\"}\n";
    assertThat(coverage("cluster: c\n" + nodes + both)).isEmpty();
  }
}
