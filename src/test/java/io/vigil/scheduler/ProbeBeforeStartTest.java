package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A resource starts only once every node that may run it has been probed (or is known down):
 * the safety rule behind a node that rejoins with its history forgotten.
 */
class ProbeBeforeStartTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final String TWO = PolicySemanticsTest.HEAD + "properties: {fencing-enabled: false}\nresources:\n"
      + PolicySemanticsTest.prim("a") + PolicySemanticsTest.prim("b");

  @Test
  void aStartWaitsForTheProbeOfItsResourceOnEveryNode() {
    // n2 rejoined: its history is forgotten, so it is probed; a starts on n1 only after that probe
    ClusterStatus s = Fixtures.status(NodeStatus.online("n1", List.of(Fixtures.stopped("a", 1), Fixtures.stopped("b", 2))),
        NodeStatus.online("n2", List.of()));
    Transition t = Scheduler.schedule(PolicySemanticsTest.load(TWO + locationOn("a", "n1") + "\n"), s, NOW);
    assertThat(t.placement("a").orElseThrow().target()).contains("n1");
    assertThat(OrderEdgesTest.ordered(t, "a_monitor_0 on n2", "a_start_0 on n1")).isTrue();
    // only its own probes: b's probe does not hold a back
    assertThat(OrderEdgesTest.ordered(t, "b_monitor_0 on n2", "a_start_0 on n1")).isFalse();
  }

  @Test
  void aCloneInstanceStartWaitsForTheProbeOfThePrimitive() {
    String yaml = PolicySemanticsTest.HEAD + "properties: {fencing-enabled: false}\nresources:\n"
        + "  - clone: c\n    resource:\n      primitive: p\n      agent: ocf:pacemaker:Dummy\n";
    ClusterStatus s = Fixtures.status(NodeStatus.online("n1", List.of(Fixtures.stopped("p", 1))), NodeStatus.online("n2", List.of()));
    Transition t = Scheduler.schedule(PolicySemanticsTest.load(yaml), s, NOW);
    assertThat(OrderEdgesTest.ordered(t, "p_monitor_0 on n2", "p:0_start_0") || OrderEdgesTest.ordered(t, "p_monitor_0 on n2", "p:1_start_0"))
        .as(t.actions().toString()).isTrue();
  }

  @Test
  void aNodeThatMayRunWhatItsHistoryDoesNotShowBlocksTheStartOfWhatItNeverSaw() {
    // n2 is lost, not fenced, its lease not over: shown in maintenance and unverified
    Map<String, String> unverified = Map.of("maintenance", "on", NodeStatus.UNVERIFIED, "true");
    ClusterStatus unseen = Fixtures.status(NodeStatus.online("n1", List.of(Fixtures.stopped("a", 1), Fixtures.stopped("b", 2))),
        NodeStatus.online("n2", List.of(Fixtures.stopped("b", 1))).withAttributes(unverified));
    Transition t = Scheduler.schedule(PolicySemanticsTest.load(TWO), unseen, NOW);
    assertThat(t.placement("a").orElseThrow().target()).isEmpty();
    assertThat(t.placement("b").orElseThrow().target()).contains("n1");
    // a node in maintenance that is known to be there (not unverified) does not block anything
    ClusterStatus maintenance = Fixtures.status(NodeStatus.online("n1", List.of(Fixtures.stopped("a", 1), Fixtures.stopped("b", 2))),
        NodeStatus.online("n2", List.of()).withAttributes(Map.of("maintenance", "on")));
    assertThat(Scheduler.schedule(PolicySemanticsTest.load(TWO), maintenance, NOW).placement("a").orElseThrow().target()).contains("n1");
  }

  private static String locationOn(String rsc, String node) {
    return "constraints:\n  - {location: " + rsc + "-on-" + node + ", resource: " + rsc + ", node: " + node + ", score: 100}";
  }
}
