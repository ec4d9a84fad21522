package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cluster.state.Apply;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.NodeState;
import org.junit.jupiter.api.Test;

class SelfStopSuspensionTest {
  private static final String YAML = """
      cluster: c
      properties: {fencing-enabled: FENCING, maintenance-mode: MAINT}
      nodes: [{name: n1}, {name: n2}, {name: n3}]
      resources:
        - primitive: web
          agent: ocf:heartbeat:Dummy
      """;

  private static ClusterState cluster(boolean fencing, boolean maintenanceMode) {
    ClusterState s = ClusterState.initial("c");
    String yaml = YAML.replace("FENCING", String.valueOf(fencing)).replace("MAINT", String.valueOf(maintenanceMode));
    s = Apply.apply(s, new Command.ApplyConfig(0, yaml, "test", "root", 1)).state();
    return Apply.apply(s, new Command.SetNodeState("n1", NodeState.ONLINE, "joined", "t", 1)).state();
  }

  @Test
  void aNodeStopsItsResourcesWithoutQuorumUnlessItOrTheFencedClusterIsInMaintenance() {
    assertThat(why(cluster(true, false), "n1")).isNull();
    assertThat(why(cluster(true, true), "n1")).contains("maintenance-mode");
    // without fencing the lease is the only guard: maintenance-mode does not suspend the stop
    assertThat(why(cluster(false, true), "n1")).isNull();
    ClusterState nodeInMaintenance = Apply.apply(cluster(false, false),
        new Command.SetNodeState("n1", NodeState.MAINTENANCE, "upgrade", "root", 2)).state();
    assertThat(why(nodeInMaintenance, "n1")).contains("this node is in maintenance");
    assertThat(why(nodeInMaintenance, "n2")).isNull();
  }

  /** With the configuration of {@code state}, read as the daemon does (a fresh reader: these clusters share epoch 1). */
  private static String why(ClusterState state, String node) {
    return SelfStopSuspension.why(state, new EpochConfig().of(state), node);
  }

  @Test
  void theConfigurationIsReadAgainWhenItsEpochChanges() {
    EpochConfig configs = new EpochConfig();
    ClusterState off = cluster(true, false);
    assertThat(SelfStopSuspension.why(off, configs.of(off), "n1")).isNull();
    String on = YAML.replace("FENCING", "true").replace("MAINT", "true");
    ClusterState next = Apply.apply(off, new Command.ApplyConfig(off.epoch(), on, "maintenance", "root", 3)).state();
    assertThat(SelfStopSuspension.why(next, configs.of(next), "n1")).contains("maintenance-mode");
  }
}
