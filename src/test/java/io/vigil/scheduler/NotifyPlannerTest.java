package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scheduler.Transition.Action;
import io.vigil.scheduler.Transition.Kind;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clone notifications (notify=true) in the action graph, as Pacemaker orders them. */
class NotifyPlannerTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static final String YAML = PolicySemanticsTest.HEAD + """
      properties: {fencing-enabled: false}
      resources:
        - clone: ping-clone
          meta: {notify: true}
          resource:
            primitive: ping
            agent: ocf:pacemaker:Dummy
      """;

  /** ping runs on n1 only; n2 joins, so an instance starts there. */
  static final ClusterStatus STATUS = Fixtures.status(
      NodeStatus.online("n1", List.of(Fixtures.running("ping", 1))),
      NodeStatus.online("n2", List.of(Fixtures.stopped("ping", 1))));

  static int at(Transition t, String describe) {
    for (int i = 0; i < t.actions().size(); i++) if (t.actions().get(i).describe().equals(describe)) return i;
    throw new AssertionError("no action " + describe + " in " + t.actions().stream().map(Action::describe).toList());
  }

  static boolean before(Transition t, String a, String b) {
    int x = at(t, a);
    int y = at(t, b);
    return t.edges().stream().anyMatch(e -> e.first() == x && e.then() == y);
  }

  @Test
  void aStartIsNotifiedBeforeToActiveInstancesAndAfterToAllRunningOnes() {
    Transition t = Scheduler.schedule(PolicySemanticsTest.load(YAML), STATUS, NOW, Scheduler.Options.WITH_NOTIFICATIONS);
    String started = t.actions().stream().filter(a -> a.kind() == Kind.START).map(Action::resource).findFirst().orElseThrow();
    String running = t.placements().stream().filter(p -> p.current().containsKey("n1")).findFirst().orElseThrow().instanceId();
    assertThat(before(t, "ping-clone_pre_notify_start_0", running + "_pre_notify_start_0 on n1")).isTrue();
    assertThat(before(t, running + "_pre_notify_start_0 on n1", "ping-clone_confirmed-pre_notify_start_0")).isTrue();
    assertThat(before(t, "ping-clone_confirmed-pre_notify_start_0", started + "_start_0 on n2")).isTrue();
    assertThat(before(t, started + "_start_0 on n2", "ping-clone_post_notify_running_0")).isTrue();
    assertThat(before(t, "ping-clone_post_notify_running_0", started + "_post_notify_start_0 on n2")).isTrue();
    assertThat(before(t, "ping-clone_post_notify_running_0", running + "_post_notify_start_0 on n1")).isTrue();
    assertThat(before(t, started + "_post_notify_start_0 on n2", "ping-clone_confirmed-post_notify_running_0")).isTrue();
    assertThat(t.actions()).extracting(Action::describe).doesNotContain(started + "_pre_notify_start_0 on n2");
    assertThat(GraphCheck.onCycles(t.actions().size(), t.edges()).isEmpty()).isTrue();
  }

  @Test
  void stopNotificationsAreConfirmedBeforeStartNotificationsBegin() {
    ClusterStatus s = Fixtures.status(NodeStatus.online("n1", List.of(Fixtures.running("ping", 1))),
        NodeStatus.online("n2", List.of(Fixtures.stopped("ping", 1))).withAttributes(java.util.Map.of("standby", "on")));
    String moved = YAML.replace("meta: {notify: true}", "meta: {notify: true, clone-max: 1}")
        + "constraints:\n  - {location: away, resource: ping-clone, node: n1, score: -INFINITY}\n";
    Transition t = Scheduler.schedule(PolicySemanticsTest.load(moved), s, NOW, Scheduler.Options.WITH_NOTIFICATIONS);
    assertThat(t.actions()).extracting(Action::describe).contains("ping-clone_confirmed-post_notify_stopped_0");
    assertThat(t.actions()).extracting(Action::describe).doesNotContain("ping-clone_pre_notify_start_0");
    Transition t2 = Scheduler.schedule(PolicySemanticsTest.load(moved.replace("clone-max: 1", "clone-max: 2")),
        STATUS, NOW, Scheduler.Options.WITH_NOTIFICATIONS);
    assertThat(GraphCheck.onCycles(t2.actions().size(), t2.edges()).isEmpty()).isTrue();
  }

  @Test
  void withoutTheOptionOrWithoutNotifyThereAreNoNotifications() {
    Transition plain = Scheduler.schedule(PolicySemanticsTest.load(YAML), STATUS, NOW);
    assertThat(plain.actions()).noneMatch(a -> a.kind() == Kind.NOTIFY || a.kind() == Kind.PSEUDO);
    Transition off = Scheduler.schedule(PolicySemanticsTest.load(YAML.replace("notify: true", "notify: false")), STATUS, NOW,
        Scheduler.Options.WITH_NOTIFICATIONS);
    assertThat(off.actions()).noneMatch(a -> a.kind() == Kind.NOTIFY || a.kind() == Kind.PSEUDO);
  }
}
