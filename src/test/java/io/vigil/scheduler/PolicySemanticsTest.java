package io.vigil.scheduler;

import static io.vigil.scheduler.Fixtures.running;
import static io.vigil.scheduler.Fixtures.status;
import static io.vigil.scheduler.Fixtures.stopped;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.ClusterConfig;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Quorum policies, rule scores from node attributes and require-all=false order sets, as Pacemaker. */
class PolicySemanticsTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static final String HEAD = """
      cluster: t
      nodes:
        - {name: n1, id: "1"}
        - {name: n2, id: "2"}
      """;

  static String prim(String id) {
    return "  - primitive: " + id + "\n    agent: ocf:pacemaker:Dummy\n";
  }

  static ClusterConfig load(String yaml) {
    return DateRuleSchedulingTest.load(yaml);
  }

  static ClusterStatus withoutQuorum(ClusterStatus s) {
    return new ClusterStatus(s.nodes(), false, Optional.empty(), Optional.empty());
  }

  @Test
  void withoutQuorumAFenceDeviceStopsTooUnlessItRequiresNothing() {
    String yaml = HEAD + "properties: {no-quorum-policy: stop}\nresources:\n"
        + "  - primitive: fence1\n    agent: stonith:fence_xvm\n"
        + "  - primitive: fence2\n    agent: stonith:fence_xvm\n    meta: {requires: nothing}\n";
    ClusterStatus s = withoutQuorum(status(NodeStatus.online("n1", List.of(running("fence1", 1), running("fence2", 4))),
        NodeStatus.online("n2", List.of(stopped("fence1", 1), stopped("fence2", 2)))));
    Transition t = Scheduler.schedule(load(yaml), s, NOW);
    assertThat(t.placement("fence1").orElseThrow().target()).as("requires=quorum by default").isEmpty();
    assertThat(t.placement("fence2").orElseThrow().target()).contains("n1");
  }

  @Test
  void suicideFencesEveryNodeOfAPartitionWithoutQuorum() {
    String yaml = HEAD + "properties: {no-quorum-policy: suicide}\nresources:\n"
        + "  - primitive: fence1\n    agent: stonith:fence_xvm\n" + prim("web");
    ClusterStatus s = withoutQuorum(status(NodeStatus.online("n1", List.of(running("web", 1))),
        NodeStatus.online("n2", List.of(stopped("web", 1)))));
    Transition t = Scheduler.schedule(load(yaml), s, NOW);
    assertThat(t.unsupported()).isEmpty();
    assertThat(t.fenced()).containsExactly("n1", "n2");
    assertThat(t.placement("web").orElseThrow().target()).isEmpty();
    Transition quorate = Scheduler.schedule(load(yaml), new ClusterStatus(s.nodes(), true, Optional.empty(), Optional.empty()), NOW);
    assertThat(quorate.fenced()).isEmpty();
  }

  @Test
  void aRuleWithScoreAttributeScoresEachNodeWithItsValueAndForbidsNodesWithout() {
    String yaml = HEAD + "properties: {fencing-enabled: false}\nresources:\n" + prim("web") + """
        constraints:
          - location: web-by-weight
            resource: web
            rules:
              - score-attribute: weight
                expressions:
                  - {attribute: site, operation: defined}
        """;
    ClusterStatus s = status(NodeStatus.online("n1", List.of()).withAttributes(Map.of("site", "a", "weight", "10")),
        NodeStatus.online("n2", List.of()).withAttributes(Map.of("site", "b", "weight", "20")));
    Transition t = Scheduler.schedule(load(yaml), s, NOW);
    assertThat(t.unsupported()).isEmpty();
    assertThat(t.placement("web").orElseThrow().target()).contains("n2");
    assertThat(t.scores()).contains(new Transition.AllocationScore("web", "n2", io.vigil.model.Score.of(20)));
    ClusterStatus noWeight = status(NodeStatus.online("n1", List.of()).withAttributes(Map.of("site", "a", "weight", "10")),
        NodeStatus.online("n2", List.of()).withAttributes(Map.of("site", "b")));
    assertThat(Scheduler.schedule(load(yaml), noWeight, NOW).scores())
        .contains(new Transition.AllocationScore("web", "n2", io.vigil.model.Score.MINUS_INFINITY));
  }

  @Test
  void aRequireAllFalseSetLetsThenStartOnceAnyOneMemberRuns() {
    String yaml = HEAD + "properties: {fencing-enabled: false}\nresources:\n" + prim("a") + prim("b") + prim("c") + """
        constraints:
          - location: a-nowhere
            resource: a
            node: n1
            score: -INFINITY
          - location: a-nowhere-2
            resource: a
            node: n2
            score: -INFINITY
          - order: any-then-c
            sets:
              - {resources: [a, b], sequential: false, require-all: false}
              - {resources: [c]}
        """;
    ClusterStatus s = status(NodeStatus.online("n1", List.of()), NodeStatus.online("n2", List.of()));
    Transition t = Scheduler.schedule(load(yaml), s, NOW);
    assertThat(t.unsupported()).isEmpty();
    assertThat(t.placement("a").orElseThrow().target()).isEmpty();
    assertThat(t.placement("c").orElseThrow().target()).as("b runs, so c may start").isPresent();
    String both = yaml.replace("  - location: a-nowhere\n", "  - location: b-nowhere\n    resource: b\n    node: n1\n"
        + "    score: -INFINITY\n  - location: b-nowhere-2\n    resource: b\n    node: n2\n    score: -INFINITY\n"
        + "  - location: a-nowhere\n");
    Transition none = Scheduler.schedule(load(both), s, NOW);
    assertThat(none.placement("c").orElseThrow().target()).as("neither a nor b runs").isEmpty();
  }

  @Test
  void aFirstCannotStopWhileItsThenCannotStop() {
    String yaml = HEAD + "properties: {fencing-enabled: false}\nresources:\n"
        + "  - primitive: a\n    agent: ocf:pacemaker:Dummy\n    meta: {target-role: Stopped}\n"
        + "  - primitive: b\n    agent: ocf:pacemaker:Dummy\n    meta: {is-managed: false}\n"
        + "constraints:\n  - {order: a-then-b, first: a, then: b}\n";
    ClusterStatus s = status(NodeStatus.online("n1", List.of(running("a", 1), running("b", 5))),
        NodeStatus.online("n2", List.of(stopped("a", 1), stopped("b", 2))));
    Transition t = Scheduler.schedule(load(yaml), s, NOW);
    assertThat(t.placement("a").orElseThrow().target()).as("b must stop first, and cannot").contains("n1");
    assertThat(t.actions()).noneMatch(x -> x.describe().startsWith("a_stop_0"));
    Transition managed = Scheduler.schedule(load(yaml.replace("is-managed: false", "is-managed: true")), s, NOW);
    assertThat(managed.placement("a").orElseThrow().target()).isEmpty();
  }

  @Test
  void aPromotedRoleColocatedWithABlockedPrimaryIsNotPromoted() {
    String yaml = HEAD + "properties: {fencing-enabled: false}\nresources:\n"
        + "  - primitive: a\n    agent: ocf:pacemaker:Dummy\n    meta: {target-role: Stopped}\n"
        + prim("b")
        + "  - clone: db-clone\n    meta: {promotable: true}\n    resource:\n      primitive: db\n      agent: ocf:pacemaker:Stateful\n"
        + "constraints:\n  - {order: a-then-b, first: a, then: b}\n"
        + "  - {colocation: db-promoted-with-b, resource: db-clone, role: Promoted, with: b, score: INFINITY}\n"
        + "  - {location: db-promote-n1, resource: db-clone, role: Promoted, node: n1, score: 100}\n";
    ClusterStatus s = status(NodeStatus.online("n1", List.of()), NodeStatus.online("n2", List.of()));
    Transition t = Scheduler.schedule(load(yaml), s, NOW);
    assertThat(t.placement("b").orElseThrow().target()).as("b waits for a").isEmpty();
    assertThat(t.placements()).filteredOn(p -> p.resourceId().equals("db"))
        .allMatch(p -> p.targetRole() != io.vigil.model.Role.PROMOTED)
        .anyMatch(p -> p.target().isPresent());
    Transition free = Scheduler.schedule(load(yaml.replace("    meta: {target-role: Stopped}\n", "")), s, NOW);
    assertThat(free.placements()).anyMatch(p -> p.resourceId().equals("db") && p.targetRole() == io.vigil.model.Role.PROMOTED);
  }
}
