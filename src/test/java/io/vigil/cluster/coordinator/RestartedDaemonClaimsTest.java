package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Result;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A daemon that restarts reads its own claims of the current plan from its local log, which may lag
 * the cluster: it runs them again only once the cluster accepted its claim again. Driven through
 * the real {@link CoordinatorService} over an in-memory Raft (commands applied with the pure Apply)
 * whose local copy is a stale snapshot, with agents that only record what they were asked to run.
 */
class RestartedDaemonClaimsTest {
  private final List<String> ran = new CopyOnWriteArrayList<>();

  /** The cluster after its first plan, with every node's probes claimed and none reported yet. */
  private static CoordinatorSimulation claimedButUnreported() {
    CoordinatorSimulation sim = new CoordinatorSimulation(CoordinatorLogicTest.TWO_GROUP, 3);
    sim.promptReports = 0.0;
    sim.step();
    assertThat(NodeWork.ready(sim.state, "n1", false, sim.now, sim.config.properties()))
        .as("n1 claimed its probes").isNotEmpty()
        .allMatch(a -> NodeWork.claimedBy(sim.state, "n1", a.id()));
    return sim;
  }

  private CoordinatorService service(LaggingRaft raft) {
    return new CoordinatorService(raft, "n1", inv -> {
      ran.add(inv.action() + " " + inv.resourceId());
      return new ExecResult(inv, 7, ExecStatus.DONE, Instant.EPOCH, Duration.ofMillis(1), "", false, "");
    }, (node, why) -> "no fencing here", Clock.systemUTC());
  }

  @Test
  void claimsFromBeforeARestartAreNotRunWhenThePlanWentOnWithoutTheNode() {
    CoordinatorSimulation sim = claimedButUnreported();
    ClusterState stale = sim.state;
    int claimed = NodeWork.ready(stale, "n1", false, sim.now, sim.config.properties()).size();
    sim.loseNode("n1"); // its daemon died with the claims open; the cluster moves on
    sim.converge(60);
    LaggingRaft raft = new LaggingRaft(stale, sim.state);
    try (CoordinatorService s = service(raft)) {
      s.applied(0, null, null, stale);
      // it tries to claim each again (and keeps trying while its log lags); each try is refused
      await().atMost(Duration.ofSeconds(10)).until(() -> claims(raft).size() >= claimed);
      assertThat(claims(raft)).as("every claim was refused").noneMatch(Result::accepted);
      // besides its claims it only announced its new daemon (its incarnation)
      assertThat(raft.proposed).allMatch(c -> c instanceof Command.ReportProgress p
          && p.progress().phase() == io.vigil.cluster.state.Transition.ActionProgress.Phase.RUNNING
          || c instanceof Command.SetNodeAttribute a && a.name().equals(io.vigil.cluster.state.NodeStatus.INCARNATION));
      assertThat(ran).as("nothing ran on the restarted node").isEmpty();
      assertThat(raft.truth.status().failCounts()).as("no failure recorded for it").isEmpty();
    }
  }

  /** The answers to the claims the daemon proposed. */
  private static List<Result> claims(LaggingRaft raft) {
    List<Result> out = new java.util.ArrayList<>();
    for (int i = 0; i < raft.answers.size(); i++) {
      if (raft.proposed.get(i) instanceof Command.ReportProgress) out.add(raft.answers.get(i));
    }
    return out;
  }

  @Test
  void claimsFromBeforeARestartRunAgainWhenThePlanIsStillCurrent() {
    CoordinatorSimulation sim = claimedButUnreported();
    List<String> claimed = NodeWork.ready(sim.state, "n1", false, sim.now, sim.config.properties()).stream().map(PlannedAction::id).toList();
    LaggingRaft raft = new LaggingRaft(sim.state, sim.state);
    try (CoordinatorService s = service(raft)) {
      s.applied(0, null, null, sim.state);
      await().atMost(Duration.ofSeconds(10)).until(() -> claimed.stream().allMatch(id ->
          raft.truth.status().transition().progress().get(id).phase() == io.vigil.cluster.state.Transition.ActionProgress.Phase.DONE));
      // the OCF probes ran again through the agents (the fence device's probe is the fencer's own)
      assertThat(ran).containsExactlyInAnyOrder("monitor vip", "monitor web");
    }
  }
}
