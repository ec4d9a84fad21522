package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterConfig;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {
  private static ClusterConfig load(String yaml) {
    return new ConfigLoader(AgentCatalog.NONE).check(yaml, "t.yaml").config().orElseThrow();
  }

  @Test
  void reportsAddedRemovedAndChangedByKindAndId() {
    ClusterConfig old = load("""
        cluster: c
        nodes: [{name: a}, {name: b}]
        resources:
          - primitive: db
            agent: ocf:heartbeat:Dummy
          - primitive: ip
            agent: ocf:heartbeat:Dummy
        """);
    ClusterConfig next = load("""
        cluster: c
        nodes: [{name: a}, {name: c}]
        resources:
          - primitive: db
            agent: ocf:heartbeat:Dummy
            params: {state: /tmp/x}
          - primitive: web
            agent: ocf:heartbeat:Dummy
        """);
    assertThat(ConfigDiff.between(old, next)).containsExactly(
        "- node b", "+ node c", "~ resource db", "- resource ip", "+ resource web");
    assertThat(ConfigDiff.between(next, next)).isEmpty();
    assertThat(ConfigDiff.between(null, next)).singleElement().asString().startsWith("+ configuration 'c'");
  }
}
