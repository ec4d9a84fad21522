package io.vigil.scheduler;

import static io.vigil.scheduler.Fixtures.running;
import static io.vigil.scheduler.Fixtures.status;
import static io.vigil.scheduler.Fixtures.stopped;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterConfig;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Date rules as the YAML configuration writes them, through the whole scheduler. */
class DateRuleSchedulingTest {
  /** What `vigil resource move web n2 --lifetime 1h` writes, as crm_resource does: prefer n2 until the end. */
  static final String MOVE_WITH_LIFETIME = """
      cluster: t
      properties: {fencing-enabled: false}
      resource-defaults: {resource-stickiness: 100}
      nodes:
        - {name: n1, id: "1"}
        - {name: n2, id: "2"}
      resources:
        - primitive: web
          agent: ocf:pacemaker:Dummy
          operations:
            - {name: monitor, interval: 10s}
      constraints:
        - location: cli-prefer-web
          resource: web
          rules:
            - score: INFINITY
              expressions:
                - {attribute: "#uname", operation: eq, value: n2}
                - {date: lt, end: "2026-11-25 21:00:00 +01:00"}
      """;

  static ClusterConfig load(String yaml) {
    ConfigLoader.Result r = new ConfigLoader(AgentCatalog.NONE).check(yaml, "cluster.yaml");
    assertThat(r.errors()).isEmpty();
    return r.config().orElseThrow();
  }

  static final ClusterStatus WEB_ON_N1 = status(NodeStatus.online("n1", List.of(running("web", 1))),
      NodeStatus.online("n2", List.of(stopped("web", 1))));

  @Test
  void aMoveWithALifetimeAppliesUntilItsEndAndNotAfter() {
    ClusterConfig c = load(MOVE_WITH_LIFETIME);
    Transition during = Scheduler.schedule(c, WEB_ON_N1, Instant.parse("2026-11-25T19:59:59Z"));
    assertThat(during.unsupported()).isEmpty();
    assertThat(during.placement("web").orElseThrow().target()).contains("n2");
    assertThat(during.recheckAt()).as("re-run when the move expires").contains(Instant.parse("2026-11-25T20:00:00Z"));

    Transition after = Scheduler.schedule(c, WEB_ON_N1, Instant.parse("2026-11-25T20:00:00Z"));
    assertThat(after.placement("web").orElseThrow().target()).as("the expired rule no longer applies").contains("n1");
    assertThat(after.actions()).isEmpty();
    assertThat(after.recheckAt()).isEmpty();
  }

  @Test
  void aDateSpecBanFollowsTheClockAndNamesItsNextBoundary() {
    String yaml = MOVE_WITH_LIFETIME.replace("""
                - {attribute: "#uname", operation: eq, value: n2}
                - {date: lt, end: "2026-11-25 21:00:00 +01:00"}
      """, """
                - {attribute: "#uname", operation: eq, value: n1}
                - {date: date_spec, date-spec: {hours: 0-5, weekdays: 1-5}}
      """).replace("score: INFINITY", "score: -INFINITY");
    ClusterConfig c = load(yaml);
    Transition night = Scheduler.schedule(c, WEB_ON_N1, Instant.parse("2026-11-25T03:00:00Z"));
    assertThat(night.placement("web").orElseThrow().target()).contains("n2");
    assertThat(night.recheckAt()).contains(Instant.parse("2026-11-25T06:00:00Z"));
    Transition day = Scheduler.schedule(c, WEB_ON_N1, Instant.parse("2026-11-25T06:00:00Z"));
    assertThat(day.placement("web").orElseThrow().target()).contains("n1");
    assertThat(day.recheckAt()).contains(Instant.parse("2026-11-26T00:00:00Z"));
  }

  @Test
  void anInvalidDateIsReportedAndTheRuleDoesNotApply() {
    ClusterConfig c = load(MOVE_WITH_LIFETIME.replace("2026-11-25 21:00:00 +01:00", "in an hour"));
    Transition t = Scheduler.schedule(c, WEB_ON_N1, Instant.parse("2026-11-25T19:00:00Z"));
    assertThat(t.placement("web").orElseThrow().target()).contains("n1");
    assertThat(t.unsupported()).singleElement().asString().contains("'in an hour'");
  }

  @Test
  void aBanFromFailuresNamesWhenTheFailuresExpire() {
    String yaml = MOVE_WITH_LIFETIME.substring(0, MOVE_WITH_LIFETIME.indexOf("constraints:"))
        .replace("resource-stickiness: 100", "resource-stickiness: 100, migration-threshold: 1, failure-timeout: 10min");
    ClusterConfig c = load(yaml);
    ClusterStatus s = status(NodeStatus.online("n1", List.of(running("web", 1)))
            .withAttributes(Map.of("fail-count-web#monitor_10000", "1", "last-failure-web#monitor_10000", "1764100000")),
        NodeStatus.online("n2", List.of(stopped("web", 1))));
    Transition t = Scheduler.schedule(c, s, Instant.ofEpochSecond(1764100000 + 60));
    assertThat(t.placement("web").orElseThrow().target()).contains("n2");
    assertThat(t.recheckAt()).contains(Instant.ofEpochSecond(1764100000 + 601));
  }
}
