package io.vigil.scheduler;

import static io.vigil.scheduler.Fixtures.config;
import static io.vigil.scheduler.Fixtures.dummy;
import static io.vigil.scheduler.Fixtures.running;
import static io.vigil.scheduler.Fixtures.status;
import static io.vigil.scheduler.Fixtures.stopped;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Clone;
import io.vigil.model.Colocation;
import io.vigil.model.Group;
import io.vigil.model.Location;
import io.vigil.model.Meta;
import io.vigil.model.Order;
import io.vigil.model.Resource;
import io.vigil.model.Role;
import io.vigil.model.Score;
import io.vigil.scheduler.Transition.Action;
import io.vigil.scheduler.Transition.Kind;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final List<String> NODES = List.of("n1", "n2", "n3");

  private static NodeStatus empty(String n) {
    return NodeStatus.online(n, List.of());
  }

  private static int index(Transition t, Kind k, String rsc, String node) {
    for (int i = 0; i < t.actions().size(); i++) {
      Action a = t.actions().get(i);
      if (a.kind() == k && a.resource().equals(rsc) && a.node().equals(node)) return i;
    }
    throw new AssertionError("no " + k + " of " + rsc + " on " + node + " in " + t.actions());
  }

  @Test
  void spreadsEqualResourcesAcrossNodesByAssignedCountThenName() {
    var c = config(NODES, List.of(dummy("a"), dummy("b"), dummy("c")), List.of());
    Transition t = Scheduler.schedule(c, status(empty("n1"), empty("n2"), empty("n3")), NOW);
    assertThat(t.placements()).extracting(p -> p.target().orElseThrow()).containsExactly("n1", "n2", "n3");
  }

  @Test
  void aResourceThatStaysGetsOnlyTheRecurringMonitorItsHistoryLacks() {
    var c = config(NODES, List.of(dummy("a")), List.of());
    var monitored = status(NodeStatus.online("n1", List.of(running("a", 1))), empty("n2"), empty("n3"));
    assertThat(Scheduler.schedule(c, monitored, NOW).actions()).noneMatch(x -> x.kind() == Kind.MONITOR);
    var started = new ResourceHistory("a", "ocf:pacemaker:Dummy", List.of(
        OpRecord.of("a_monitor_0", "monitor", 0, 7, 1, 7), OpRecord.of("a_start_0", "start", 0, 0, 2, 0)));
    Transition t = Scheduler.schedule(c, status(NodeStatus.online("n1", List.of(started)), empty("n2"), empty("n3")), NOW);
    assertThat(t.actions()).filteredOn(x -> x.kind() == Kind.MONITOR)
        .singleElement().satisfies(x -> assertThat(x.node() + "/" + x.intervalMs()).isEqualTo("n1/10000"));
    assertThat(t.actions()).noneMatch(x -> x.kind() == Kind.START || x.kind() == Kind.STOP);
    // a monitor from before a restart does not count: the start cancelled it
    var restarted = new ResourceHistory("a", "ocf:pacemaker:Dummy", List.of(
        OpRecord.of("a_monitor_10000", "monitor", 10000, 0, 2, 0), OpRecord.of("a_start_0", "start", 0, 0, 3, 0)));
    assertThat(Scheduler.schedule(c, status(NodeStatus.online("n1", List.of(restarted)), empty("n2"), empty("n3")), NOW).actions())
        .anyMatch(x -> x.kind() == Kind.MONITOR);
  }

  @Test
  void neverPlacesOnAMinusInfinityNode() {
    var c = config(NODES, List.of(dummy("a")), List.of(Location.of("ban1", "a", "n1", Score.MINUS_INFINITY),
        Location.of("ban2", "a", "n2", Score.MINUS_INFINITY)));
    Transition t = Scheduler.schedule(c, status(empty("n1"), empty("n2"), empty("n3")), NOW);
    assertThat(t.placement("a").orElseThrow().target()).contains("n3");
  }

  @Test
  void groupMembersRunTogetherAndStartInOrder() {
    var g = new Group("g", List.of(dummy("fs"), dummy("ip"), dummy("app")), Meta.EMPTY);
    var c = config(NODES, List.<Resource>of(g), List.of(Location.of("pref", "g", "n2", Score.of(50))));
    Transition t = Scheduler.schedule(c, status(empty("n1"), empty("n2"), empty("n3")), NOW);
    assertThat(t.placements()).allSatisfy(p -> assertThat(p.target()).contains("n2"));
    int fs = index(t, Kind.START, "fs", "n2");
    int ip = index(t, Kind.START, "ip", "n2");
    int app = index(t, Kind.START, "app", "n2");
    assertThat(t.edges()).contains(new Transition.Edge(fs, ip), new Transition.Edge(ip, app));
  }

  @Test
  void colocatedResourceFollowsItsTargetAndAntiColocationAvoidsIt() {
    var c = config(NODES, List.of(dummy("db"), dummy("web"), dummy("batch")), List.of(
        Location.of("db-pref", "db", "n3", Score.of(100)),
        Colocation.of("web-with-db", "web", "db", Score.INFINITY),
        Colocation.of("batch-away", "batch", "db", Score.MINUS_INFINITY)));
    Transition t = Scheduler.schedule(c, status(empty("n1"), empty("n2"), empty("n3")), NOW);
    assertThat(t.placement("web").orElseThrow().target()).contains("n3");
    assertThat(t.placement("batch").orElseThrow().target()).isPresent().get().isNotEqualTo("n3");
  }

  @Test
  void dependentPreferencesInfluenceWhereTheTargetGoes() {
    var c = config(NODES, List.of(dummy("db"), dummy("web")), List.of(
        Location.of("web-pref", "web", "n2", Score.of(500)),
        Colocation.of("web-with-db", "web", "db", Score.INFINITY)));
    Transition t = Scheduler.schedule(c, status(empty("n1"), empty("n2"), empty("n3")), NOW);
    assertThat(t.placement("db").orElseThrow().target()).contains("n2");
  }

  @Test
  void stickinessKeepsARunningResourceAgainstAWeakerPreference() {
    var c = config(NODES, List.of(dummy("a", Meta.of(Map.of("resource-stickiness", "100")))),
        List.of(Location.of("pref", "a", "n2", Score.of(50))));
    var s = status(NodeStatus.online("n1", List.of(running("a", 1))), empty("n2"), empty("n3"));
    assertThat(Scheduler.schedule(c, s, NOW).placement("a").orElseThrow().target()).contains("n1");
  }

  @Test
  void anonymousCloneRunsOneInstancePerNodeUpToCloneMax() {
    var clone = new Clone("ping-clone", dummy("ping"), Meta.of(Map.of("clone-max", "2")));
    var c = config(NODES, List.<Resource>of(clone), List.of());
    Transition t = Scheduler.schedule(c, status(empty("n1"), empty("n2"), empty("n3")), NOW);
    assertThat(t.placements()).extracting(Transition.Placement::instanceId).containsExactly("ping:0", "ping:1");
    assertThat(t.placements()).extracting(p -> p.target().orElseThrow()).doesNotHaveDuplicates();
  }

  @Test
  void promotableClonePromotesTheInstanceWithTheHighestPromotionScore() {
    var clone = new Clone("db-clone", dummy("db"), Meta.of(Map.of("promotable", "true")));
    var c = config(List.of("n1", "n2"), List.<Resource>of(clone), List.of());
    var s = status(empty("n1").withAttributes(Map.of("master-db", "5")),
        empty("n2").withAttributes(Map.of("master-db", "10")));
    Transition t = Scheduler.schedule(c, s, NOW);
    assertThat(t.placements()).filteredOn(p -> p.targetRole() == Role.PROMOTED).singleElement()
        .satisfies(p -> assertThat(p.target()).contains("n2"));
    assertThat(t.placements()).filteredOn(p -> p.targetRole() == Role.UNPROMOTED).singleElement()
        .satisfies(p -> assertThat(p.target()).contains("n1"));
  }

  @Test
  void aPromotionVetoKeepsTheInstanceUnpromotedWhateverItsScore() {
    var clone = new Clone("db-clone", dummy("db"), Meta.of(Map.of("promotable", "true")));
    var c = config(List.of("n1", "n2"), List.<Resource>of(clone), List.of());
    var s = status(empty("n1").withAttributes(Map.of("master-db", "5")),
        empty("n2").withAttributes(Map.of("master-db", "10", NodeStatus.promotionVeto("db"), "1CD1A7B991343B1C by n1")));
    Transition t = Scheduler.schedule(c, s, NOW);
    assertThat(t.placements()).filteredOn(p -> p.targetRole() == Role.PROMOTED).singleElement()
        .satisfies(p -> assertThat(p.target()).contains("n1"));
    var alone = status(empty("n2").withAttributes(Map.of("master-db", "10", NodeStatus.promotionVeto("db"), "x")),
        NodeStatus.offline("n1"));
    assertThat(Scheduler.schedule(c, alone, NOW).placements()).noneMatch(p -> p.targetRole() == Role.PROMOTED);
  }

  @Test
  void failCountBansTheNodeUntilTheFailureTimeoutExpires() {
    var a = dummy("a", Meta.of(Map.of("migration-threshold", "2", "failure-timeout", "10m")));
    var c = config(List.of("n1", "n2"), List.of(a), List.of(Location.of("pref", "a", "n1", Score.of(100))));
    long failedAt = NOW.getEpochSecond() - 300;
    var s = status(empty("n1").withAttributes(Map.of("fail-count-a#start_0", "2",
        "last-failure-a#start_0", Long.toString(failedAt))), empty("n2"));
    assertThat(Scheduler.schedule(c, s, NOW).placement("a").orElseThrow().target()).contains("n2");
    Instant later = NOW.plus(Duration.ofMinutes(6));
    assertThat(Scheduler.schedule(c, s, later).placement("a").orElseThrow().target()).as("expired").contains("n1");
  }

  @Test
  void standbyNodeIsVacated() {
    var c = config(List.of("n1", "n2"), List.of(dummy("a")), List.of());
    var s = status(NodeStatus.online("n1", List.of(running("a", 1))).withAttributes(Map.of("standby", "on")),
        NodeStatus.online("n2", List.of(stopped("a", 1))));
    Transition t = Scheduler.schedule(c, s, NOW);
    assertThat(t.placement("a").orElseThrow().target()).contains("n2");
    assertThat(t.edges()).contains(new Transition.Edge(index(t, Kind.STOP, "a", "n1"), index(t, Kind.START, "a", "n2")));
  }

  @Test
  void uncleanNodeIsFencedBeforeItsResourcesAreRecovered() {
    var c = config(List.of("n1", "n2"), List.of(Fixtures.fence("fencing"), dummy("a")), List.of(),
        Map.of("fencing-enabled", "true"), Map.of());
    var s = status(NodeStatus.online("n1", List.of(running("a", 1), stopped("fencing", 1)))
            .withMembership("false", "offline", "member", "member"),
        NodeStatus.online("n2", List.of(stopped("a", 1), running("fencing", 1))));
    Transition t = Scheduler.schedule(c, s, NOW);
    assertThat(t.fenced()).containsExactly("n1");
    int fence = index(t, Kind.FENCE, "n1", "n1");
    int start = index(t, Kind.START, "a", "n2");
    assertThat(t.edges()).contains(new Transition.Edge(fence, start));
  }

  @Test
  void mandatoryOrderKeepsThenStoppedWhileFirstCannotRun() {
    var c = config(List.of("n1", "n2"), List.of(dummy("db", Meta.of(Map.of("target-role", "Stopped"))), dummy("web")),
        List.of(Order.of("db-then-web", "db", "web")));
    Transition t = Scheduler.schedule(c, status(empty("n1"), empty("n2")), NOW);
    assertThat(t.placement("web").orElseThrow().target()).isEmpty();
  }

  @Test
  void allowMigrateMovesByLiveMigrationBeforeStoppingTheSource() {
    var c = config(List.of("n1", "n2"), List.of(dummy("vm", Meta.of(Map.of("allow-migrate", "true")))),
        List.of(Location.of("prefer-n2", "vm", "n2", Score.of(100))));
    var s = status(NodeStatus.online("n1", List.of(running("vm", 1))), NodeStatus.online("n2", List.of(stopped("vm", 1))));
    Transition t = Scheduler.schedule(c, s, NOW);
    int to = index(t, Kind.MIGRATE_TO, "vm", "n1");
    int from = index(t, Kind.MIGRATE_FROM, "vm", "n2");
    int stop = index(t, Kind.STOP, "vm", "n1");
    assertThat(t.edges()).contains(new Transition.Edge(to, from), new Transition.Edge(from, stop));
    assertThat(io.vigil.scheduler.simulate.SimulationReport.render(c, t)).contains("Migrate    vm ( n1 -> n2 )");
  }

  @Test
  void missingHistoryIsProbedOnEveryOnlineNode() {
    var c = config(List.of("n1", "n2"), List.of(dummy("a")), List.of());
    var s = status(NodeStatus.online("n1", List.of(stopped("a", 1))), empty("n2"));
    Transition t = Scheduler.schedule(c, s, NOW);
    assertThat(t.actions()).filteredOn(a -> a.kind() == Kind.PROBE).extracting(Action::node).containsExactly("n2");
  }
}
