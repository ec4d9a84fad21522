package io.vigil.scheduler;

import static io.vigil.scheduler.Fixtures.config;
import static io.vigil.scheduler.Fixtures.dummy;
import static io.vigil.scheduler.Fixtures.monitorFailed;
import static io.vigil.scheduler.Fixtures.running;
import static io.vigil.scheduler.Fixtures.status;
import static io.vigil.scheduler.Fixtures.stopped;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.ClusterConfig;
import io.vigil.model.Location;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.Role;
import io.vigil.model.Score;
import io.vigil.scheduler.simulate.SimulationReport;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's operator scenarios as readable transcripts (crm_simulate layout). */
class GoldenScenariosTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static String run(String title, ClusterConfig c, ClusterStatus s) {
    return "### " + title + "\n" + SimulationReport.render(c, Scheduler.schedule(c, s, NOW)) + "\n";
  }

  @Test
  void moveWithTemporaryConstraintThenClearIt() throws Exception {
    var rs = List.<io.vigil.model.Resource>of(dummy("web"), dummy("db"));
    Map<String, String> sticky = Map.of("resource-stickiness", "100");
    var moved = config(List.of("n1", "n2"), rs, List.of(Location.of("cli-prefer-web", "web", "n2", Score.INFINITY)),
        Map.of("fencing-enabled", "false"), sticky);
    var before = status(NodeStatus.online("n1", List.of(running("web", 1), stopped("db", 1))),
        NodeStatus.online("n2", List.of(stopped("web", 1), running("db", 1))));
    Transition t1 = Scheduler.schedule(moved, before, NOW);
    assertThat(t1.placement("web").orElseThrow().target()).contains("n2");

    var cleared = config(List.of("n1", "n2"), rs, List.of(), Map.of("fencing-enabled", "false"), sticky);
    var after = status(NodeStatus.online("n1", List.of(stopped("web", 1), stopped("db", 1))),
        NodeStatus.online("n2", List.of(running("web", 1), running("db", 1))));
    Transition t2 = Scheduler.schedule(cleared, after, NOW);
    assertThat(t2.placement("web").orElseThrow().target()).as("stickiness keeps it where it was moved").contains("n2");
    assertThat(t2.actions()).isEmpty();

    Golden.assertMatches("move-and-clear", run("move web to n2 with cli-prefer-web", moved, before)
        + run("constraint cleared after the move", cleared, after));
  }

  @Test
  void failedMonitorExit1VersusExit7() throws Exception {
    var c = config(List.of("n1", "n2"), List.of(dummy("web")), List.of());
    String out = "";
    for (int rc : new int[] {1, 7}) {
      var s = status(NodeStatus.online("n1", List.of(monitorFailed("web", 1, rc))),
          NodeStatus.online("n2", List.of(Fixtures.stopped("web", 1))));
      Transition t = Scheduler.schedule(c, s, NOW);
      assertThat(t.placement("web").orElseThrow().failed()).isTrue();
      assertThat(t.placement("web").orElseThrow().target()).as("recovered in place").contains("n1");
      out += run("monitor of web failed with exit " + rc, c, s);
    }
    var banned = config(List.of("n1", "n2"), List.of(dummy("web", Meta.of(Map.of("migration-threshold", "1")))),
        List.of());
    var s = status(NodeStatus.online("n1", List.of(monitorFailed("web", 1, 7)))
            .withAttributes(Map.of("fail-count-web#monitor_10000", "1")),
        NodeStatus.online("n2", List.of(Fixtures.stopped("web", 1))));
    assertThat(Scheduler.schedule(banned, s, NOW).placement("web").orElseThrow().target()).contains("n2");
    out += run("exit 7 with migration-threshold=1 and fail count 1", banned, s);
    Golden.assertMatches("failed-monitor-exit-1-vs-7", out);
  }

  @Test
  void nodeInMaintenanceDuringPackageUpgrade() throws Exception {
    var rs = List.<io.vigil.model.Resource>of(dummy("web"), dummy("db"), dummy("cache"));
    var base = config(List.of("n1", "n2"), rs, List.of());
    List<Node> nodes = new ArrayList<>(List.of(Node.named("n1").withMaintenance(true), Node.named("n2")));
    var c = new ClusterConfig("test", nodes, rs, List.of(), base.properties(), base.resourceDefaults(),
        base.operationDefaults(), List.of());
    var s = status(NodeStatus.online("n1", List.of(running("web", 1), stopped("db", 1), stopped("cache", 1))),
        NodeStatus.online("n2", List.of(stopped("web", 1), running("db", 1), stopped("cache", 1))));
    Transition t = Scheduler.schedule(c, s, NOW);
    Transition.Placement web = t.placement("web").orElseThrow();
    assertThat(web.managed()).as("resources on a maintenance node are left alone").isFalse();
    assertThat(web.target()).contains("n1");
    assertThat(t.placement("cache").orElseThrow().target()).as("nothing new goes to the node").contains("n2");
    assertThat(t.actions()).noneMatch(a -> a.node().equals("n1") && a.kind() != Transition.Kind.PROBE);
    assertThat(t.placement("web").orElseThrow().targetRole()).isEqualTo(Role.STARTED);
    Golden.assertMatches("maintenance-node-upgrade", run("n1 in maintenance while its packages are upgraded", c, s));
  }
}
