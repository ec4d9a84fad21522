package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scheduler.simulate.GraphDot;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Order constraints as edges of the action graph, for every kind. */
class OrderEdgesTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static Transition run(String kind, String extra) {
    String yaml = PolicySemanticsTest.HEAD + "properties: {fencing-enabled: false}\nresources:\n"
        + PolicySemanticsTest.prim("a") + PolicySemanticsTest.prim("b") + """
        constraints:
          - order: a-then-b
            first: a
            then: b
            kind: %s
        %s""".formatted(kind, extra);
    ClusterStatus s = Fixtures.status(NodeStatus.online("n1", List.of(Fixtures.stopped("a", 1), Fixtures.stopped("b", 2))),
        NodeStatus.online("n2", List.of(Fixtures.stopped("a", 1), Fixtures.stopped("b", 2))));
    return Scheduler.schedule(PolicySemanticsTest.load(yaml), s, NOW);
  }

  static boolean ordered(Transition t, String first, String then) {
    return t.edges().stream().anyMatch(e -> t.actions().get(e.first()).describe().startsWith(first)
        && t.actions().get(e.then()).describe().startsWith(then));
  }

  @Test
  void everyKindOrdersTheStartsWhenBothAreScheduled() {
    for (String kind : List.of("Mandatory", "Optional", "Serialize")) {
      Transition t = run(kind, "");
      assertThat(ordered(t, "a_start_0", "b_start_0")).as(kind).isTrue();
      assertThat(ordered(t, "b_start_0", "a_start_0")).as(kind).isFalse();
    }
  }

  @Test
  void serializeNeverKeepsThenFromStarting() {
    String banA = """
          - location: a-nowhere
            resource: a
            rules: [{score: -INFINITY, expressions: [{attribute: "#uname", operation: defined}]}]
        """;
    assertThat(run("Serialize", banA).placement("b").orElseThrow().target()).isPresent();
    assertThat(run("Mandatory", banA).placement("b").orElseThrow().target()).isEmpty();
  }

  @Test
  void aSymmetricalOrderStopsThenBeforeFirst() {
    String yaml = PolicySemanticsTest.HEAD + "properties: {fencing-enabled: false}\nresources:\n"
        + PolicySemanticsTest.prim("a") + PolicySemanticsTest.prim("b") + """
        constraints:
          - {order: a-then-b, first: a, then: b}
          - {location: away, resource: a, node: n1, score: -INFINITY}
          - {colocation: b-with-a, resource: b, with: a, score: INFINITY}
        """;
    ClusterStatus s = Fixtures.status(NodeStatus.online("n1", List.of(Fixtures.running("a", 1), Fixtures.running("b", 5))),
        NodeStatus.online("n2", List.of(Fixtures.stopped("a", 1), Fixtures.stopped("b", 2))));
    Transition t = Scheduler.schedule(PolicySemanticsTest.load(yaml), s, NOW);
    assertThat(ordered(t, "b_stop_0", "a_stop_0")).isTrue();
    assertThat(ordered(t, "a_start_0", "b_start_0")).isTrue();
    assertThat(GraphCheck.onCycles(t.actions().size(), t.edges()).isEmpty()).as("acyclic").isTrue();
    String dot = GraphDot.render(t);
    assertThat(dot).startsWith(" digraph \"g\" {\n").endsWith("}\n")
        .contains("\"b_stop_0 n1\" -> \"a_stop_0 n1\" [ style = bold]")
        .contains("\"a_start_0 n2\" [ style=bold color=\"green\" fontcolor=\"black\"]");
  }

  @Test
  void orderEdgesThatWouldCloseACycleAreLeftOut() {
    // built directly: the configuration checker may refuse such a file, an imported CIB may carry it
    var ab = new io.vigil.model.Order("ab", io.vigil.model.Order.Kind.OPTIONAL, java.util.Optional.of("a"),
        java.util.Optional.empty(), java.util.Optional.of("b"), java.util.Optional.empty(), java.util.Optional.of(false), List.of());
    var ba = new io.vigil.model.Order("ba", io.vigil.model.Order.Kind.OPTIONAL, java.util.Optional.of("b"),
        java.util.Optional.empty(), java.util.Optional.of("a"), java.util.Optional.empty(), java.util.Optional.of(false), List.of());
    var c = Fixtures.config(List.of("n1", "n2"), List.of(Fixtures.dummy("a"), Fixtures.dummy("b")), List.of(ab, ba));
    ClusterStatus s = Fixtures.status(NodeStatus.online("n1", List.of(Fixtures.stopped("a", 1), Fixtures.stopped("b", 2))),
        NodeStatus.online("n2", List.of(Fixtures.stopped("a", 1), Fixtures.stopped("b", 2))));
    Transition t = Scheduler.schedule(c, s, NOW);
    assertThat(t.actions()).extracting(Transition.Action::describe).anyMatch(d -> d.startsWith("a_start_0"));
    assertThat(GraphCheck.onCycles(t.actions().size(), t.edges()).isEmpty()).as("acyclic").isTrue();
    assertThat(ordered(t, "a_start_0", "b_start_0") || ordered(t, "b_start_0", "a_start_0")).as("one direction kept").isTrue();
  }
}
