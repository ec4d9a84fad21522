package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A promotable instance that changes role where it runs: the new role's recurring monitor starts
 * after the promote/demote, as Pacemaker orders it. Before, it was ordered after the start only,
 * so for an instance already running it ran alongside the promote and a Promoted monitor saw rc 0
 * (found with builtin:volume under three real daemons: the cluster then demoted, stopped and
 * restarted the volume it had just promoted). The old role's monitors end with the role change
 * (the history counts a promote/demote as their end; the coordinator cancels them).
 */
class RoleChangeMonitorsTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final String YAML = PolicySemanticsTest.HEAD + """
      properties: {fencing-enabled: false}
      resources:
        - clone: vol-clone
          meta: {promotable: true, clone-max: 1}
          resource:
            primitive: vol
            agent: ocf:pacemaker:Stateful
            operations:
              - {name: monitor, interval: 10s, role: Promoted}
              - {name: monitor, interval: 11s, role: Unpromoted}
      constraints:
        - {location: vol-promoted-n1, resource: vol-clone, role: Promoted, node: n1, score: 10}
      """;

  private static ResourceHistory unpromoted() {
    return new ResourceHistory("vol", "ocf:pacemaker:Stateful", List.of(
        OpRecord.of("vol_monitor_0", "monitor", 0, 7, 1, 7),
        OpRecord.of("vol_start_0", "start", 0, 0, 2, 0),
        OpRecord.of("vol_monitor_11000", "monitor", 11000, 0, 3, 0)));
  }

  private static ResourceHistory promoted() {
    return new ResourceHistory("vol", "ocf:pacemaker:Stateful", List.of(
        OpRecord.of("vol_monitor_0", "monitor", 0, 7, 1, 7),
        OpRecord.of("vol_start_0", "start", 0, 0, 2, 0),
        OpRecord.of("vol_promote_0", "promote", 0, 0, 3, 0),
        OpRecord.of("vol_monitor_10000", "monitor", 10000, 8, 4, 8)));
  }

  private static int index(Transition t, Transition.Kind kind, long interval) {
    for (int i = 0; i < t.actions().size(); i++) {
      var a = t.actions().get(i);
      if (a.kind() == kind && a.intervalMs() == interval) return i;
    }
    return -1;
  }

  private static boolean edge(Transition t, int first, int then) {
    return t.edges().stream().anyMatch(e -> e.first() == first && e.then() == then);
  }

  @Test
  void aPromotionStartsThePromotedMonitorAfterThePromote() {
    ClusterStatus s = Fixtures.status(NodeStatus.online("n1", List.of(unpromoted())), NodeStatus.online("n2", List.of()));
    Transition t = Scheduler.schedule(PolicySemanticsTest.load(YAML), s, NOW);
    int promote = index(t, Transition.Kind.PROMOTE, 0);
    int monitor = index(t, Transition.Kind.MONITOR, 10000);
    assertThat(promote).as(t.actions().toString()).isNotNegative();
    assertThat(t.actions().get(promote).node()).isEqualTo("n1");
    assertThat(monitor).isNotNegative();
    assertThat(edge(t, promote, monitor)).as("the Promoted monitor after the promote").isTrue();
  }

  @Test
  void aDemotionStartsTheUnpromotedMonitorAfterTheDemote() {
    String demote = YAML.replace("score: 10}", "score: -INFINITY}");
    ClusterStatus s = Fixtures.status(NodeStatus.online("n1", List.of(promoted())), NodeStatus.online("n2", List.of()));
    Transition t = Scheduler.schedule(PolicySemanticsTest.load(demote), s, NOW);
    int d = index(t, Transition.Kind.DEMOTE, 0);
    int monitor = index(t, Transition.Kind.MONITOR, 11000);
    assertThat(d).as(t.actions().toString()).isNotNegative();
    assertThat(monitor).isNotNegative();
    assertThat(edge(t, d, monitor)).as("the Unpromoted monitor after the demote").isTrue();
  }
}
