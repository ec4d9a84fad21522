package io.vigil.scheduler;

import static io.vigil.scheduler.Fixtures.config;
import static io.vigil.scheduler.Fixtures.dummy;
import static io.vigil.scheduler.Fixtures.running;
import static io.vigil.scheduler.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Clone;
import io.vigil.model.Group;
import io.vigil.model.Meta;
import io.vigil.scheduler.simulate.SimulationReport;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How anonymous clone histories map to instances, and how failed probes show. */
class CloneHistoryTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aSecondHistoryOfTheSameAnonymousMemberOnANodeIsAnOrphanInstanceThatIsStopped() {
    var group = new Group("g", List.of(dummy("a"), dummy("b")), Meta.EMPTY);
    var clone = new Clone("g-clone", group, Meta.of(Map.of("clone-max", "2", "clone-node-max", "1")));
    var c = config(List.of("n1", "n2"), List.of(clone), List.of());
    // both numbered histories of each member on n1 (as after globally-unique was switched off)
    var s = status(NodeStatus.online("n1", List.of(running("b:1", 1), running("b:0", 4), running("a:1", 7),
        running("a:0", 10))), NodeStatus.offline("n2"));
    Transition t = Scheduler.schedule(c, s, NOW);
    assertThat(t.unsupported()).isEmpty();
    assertThat(t.placement("a:0").orElseThrow().target()).contains("n1");
    assertThat(t.placement("b:0").orElseThrow().target()).contains("n1");
    assertThat(t.placement("a:2").orElseThrow().current()).containsKey("n1");
    assertThat(t.placement("a:2").orElseThrow().target()).isEmpty();
    assertThat(t.placement("b:2").orElseThrow().target()).isEmpty();
    assertThat(t.actions()).extracting(Transition.Action::describe)
        .contains("a:2_stop_0 on n1", "b:2_stop_0 on n1").doesNotContain("a:0_stop_0 on n1");
    String report = SimulationReport.render(c, t);
    assertThat(report).contains("      * Resource Group: g:2:\n"
        + "        * a\t(ocf:pacemaker:Dummy):\t ORPHANED Started n1\n"
        + "        * b\t(ocf:pacemaker:Dummy):\t ORPHANED Started n1\n"
        + "      * Started: [ n1 ]\n");
  }

  @Test
  void aProbeThatFoundTheAgentMissingShowsAsStoppedNotInstalled() {
    var clone = new Clone("ping-clone", dummy("ping"), Meta.EMPTY);
    var c = config(List.of("n1", "n2"), List.of(clone), List.of());
    var notInstalled = new ResourceHistory("ping", "ocf:pacemaker:Dummy",
        List.of(OpRecord.of("ping_monitor_0", "monitor", 0, 5, 1, 7)));
    var s = status(NodeStatus.online("n1", List.of(notInstalled)),
        NodeStatus.online("n2", List.of(Fixtures.stopped("ping", 1))));
    Transition t = Scheduler.schedule(c, s, NOW);
    assertThat(t.failedProbes()).containsExactly(new Transition.FailedProbe("ping", "n1", 5));
    assertThat(SimulationReport.render(c, t)).contains("      * Started: [ n2 ]\n      * Stopped (Not installed): [ n1 ]\n");
  }

  @Test
  void aUniqueInstanceBeyondCloneMaxIsStoppedUnderItsRecordedNumber() {
    var clone = new Clone("u-clone", dummy("u"), Meta.of(Map.of("clone-max", "2", "globally-unique", "true")));
    var c = config(List.of("n1", "n2"), List.of(clone), List.of());
    var s = status(NodeStatus.online("n1", List.of(running("u:0", 1), running("u:5", 4))),
        NodeStatus.online("n2", List.of(Fixtures.stopped("u:1", 1))));
    Transition t = Scheduler.schedule(c, s, NOW);
    assertThat(t.unsupported()).isEmpty();
    assertThat(t.placement("u:5").orElseThrow().target()).isEmpty();
    assertThat(t.actions()).extracting(Transition.Action::describe).contains("u:5_stop_0 on n1");
    assertThat(t.placement("u:0").orElseThrow().target()).contains("n1");
  }
}
