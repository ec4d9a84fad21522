package io.vigil.scheduler;

import static io.vigil.scheduler.Fixtures.running;
import static io.vigil.scheduler.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Score;
import io.vigil.status.NodeStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code vigil simulate --why}: every step behind an allocation score, adding up to it. */
class ScoreExplanationTest {
  static final String YAML = PolicySemanticsTest.HEAD.replace("nodes:\n", "nodes:\n  - {name: n3, id: \"3\"}\n") + """
      properties: {fencing-enabled: false}
      resources:
        - primitive: db
          agent: ocf:pacemaker:Dummy
          meta: {resource-stickiness: 100}
        - group: web
          members:
            - {primitive: ip, agent: ocf:pacemaker:Dummy}
            - {primitive: app, agent: ocf:pacemaker:Dummy}
      constraints:
        - {location: db-prefers-n1, resource: db, node: n1, score: 50}
        - {location: app-not-n2, resource: app, node: n2, score: -INFINITY}
        - {colocation: web-with-db, resource: web, with: db, score: 200}
      """;

  Transition schedule(Scheduler.Options options) {
    var s = status(NodeStatus.online("n1", List.of()), NodeStatus.online("n2", List.of()),
        NodeStatus.online("n3", List.of(running("db", 3))));
    return Scheduler.schedule(PolicySemanticsTest.load(YAML), s, PolicySemanticsTest.NOW, options);
  }

  static Transition.AllocationScore score(Transition t, String rsc, String node) {
    return t.scores().stream().filter(s -> s.resource().equals(rsc) && s.node().equals(node)).findFirst().orElseThrow();
  }

  @Test
  void eachStepIsNamedAndTheFiniteStepsAddUpToTheScore() {
    Transition t = schedule(Scheduler.Options.DEFAULT.withExplainedScores());
    assertThat(score(t, "db", "n1").why()).containsExactly("symmetric cluster: 0", "location db-prefers-n1: +50");
    assertThat(score(t, "db", "n3").why()).containsExactly("symmetric cluster: 0", "resource-stickiness where it runs: +100");
    assertThat(score(t, "web", "n2").why()).contains("member app: location app-not-n2: -INFINITY");
    // db stays on n3 (100 > 50), and web follows it there
    assertThat(score(t, "web", "n3").why()).contains("colocation web-with-db with db: +200");
    for (Transition.AllocationScore s : t.scores()) {
      if (s.score().isInfinite()) continue;
      long sum = 0;
      for (String line : s.why()) sum += Long.parseLong(line.substring(line.lastIndexOf(": ") + 2).replace("+", ""));
      assertThat(sum).as(s.resource() + " on " + s.node() + ": " + s.why()).isEqualTo(s.score().value());
    }
  }

  @Test
  void withoutAskingThereIsNoExplanationAndTheScoresAreTheSame() {
    Transition plain = schedule(Scheduler.Options.DEFAULT);
    Transition explained = schedule(Scheduler.Options.DEFAULT.withExplainedScores());
    assertThat(plain.scores()).allMatch(s -> s.why().isEmpty());
    assertThat(explained.scores()).extracting(Transition.AllocationScore::score)
        .containsExactlyElementsOf(plain.scores().stream().map(Transition.AllocationScore::score).toList());
    assertThat(score(explained, "db", "n3").score()).isEqualTo(Score.of(100));
  }
}
