package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which recurring monitors an action ends on its node. Found with builtin:volume under real
 * daemons: the Unpromoted monitor, started as {@code vol:0}, kept running after the promote (a
 * later plan called the same process {@code vol:1}, and a promote ended no monitors), saw rc 8
 * and was recorded as a failure; the cluster then restarted the volume it had just promoted.
 */
class MonitorOwnerTest {
  static final ClusterConfig CONFIG = new ConfigLoader(AgentCatalog.NONE).check("""
      cluster: t
      properties: {fencing-enabled: false}
      nodes: [{name: a}, {name: b}]
      resources:
        - clone: vol-clone
          meta: {promotable: true}
          resource: {primitive: vol, agent: ocf:pacemaker:Stateful}
        - clone: uniq-clone
          meta: {globally-unique: true}
          resource: {primitive: uniq, agent: ocf:pacemaker:Dummy}
        - primitive: svc
          agent: ocf:heartbeat:Dummy
      """, "t.yaml").config().orElseThrow();

  private static PlannedAction action(String kind, String resource) {
    return new PlannedAction(kind + ":" + resource + ":a:0", kind, resource, "a", 0, List.of());
  }

  @Test
  void anAnonymousClonesInstancesOnANodeShareTheirMonitors() {
    assertThat(ActionInvocations.monitorOwner(CONFIG, "vol:0")).isEqualTo("vol");
    assertThat(ActionInvocations.monitorOwner(CONFIG, "vol:1")).isEqualTo("vol");
    assertThat(ActionInvocations.monitorOwner(CONFIG, "uniq:1")).as("globally unique: each instance its own").isEqualTo("uniq:1");
    assertThat(ActionInvocations.monitorOwner(CONFIG, "svc")).isEqualTo("svc");
  }

  @Test
  void stopsAndRoleChangesEndTheMonitorsOthersDoNot() {
    for (String k : List.of("STOP", "CANCEL", "PROMOTE", "DEMOTE")) assertThat(ActionInvocations.endsMonitors(action(k, "vol:0"))).as(k).isTrue();
    for (String k : List.of("START", "MONITOR", "PROBE", "MIGRATE_TO")) assertThat(ActionInvocations.endsMonitors(action(k, "vol:0"))).as(k).isFalse();
  }
}
