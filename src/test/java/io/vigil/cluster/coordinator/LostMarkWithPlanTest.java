package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.Result;
import io.vigil.cluster.state.Transition.ActionProgress.Phase;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The leader records a node's LOST mark together with the plan that fences it, in one log entry
 * ({@link CoordinatorService#recordLost}); a mark the state machine refuses takes no plan with it.
 * Driven through the real service over an in-memory Raft.
 */
class LostMarkWithPlanTest {
  private static CoordinatorService service(LaggingRaft raft, String node) {
    return new CoordinatorService(raft, node,
        inv -> new ExecResult(inv, 0, ExecStatus.DONE, Instant.EPOCH, Duration.ofMillis(1), "", false, ""),
        (target, why) -> "no fencing here", Clock.systemUTC());
  }

  /** A converged cluster; the victim runs the site, the leader is another node. */
  private static CoordinatorSimulation converged() {
    CoordinatorSimulation sim = new CoordinatorSimulation(CoordinatorLogicTest.TWO_GROUP, 3);
    sim.converge(50);
    return sim;
  }

  private static String leaderOtherThan(CoordinatorSimulation sim, String victim) {
    return sim.connected().stream().filter(n -> !n.equals(victim)).sorted().findFirst().orElseThrow();
  }

  @Test
  void aLostNodesMarkAndThePlanThatFencesItGoInOneEntry() throws Exception {
    CoordinatorSimulation sim = converged();
    String victim = sim.where("vip").iterator().next();
    String leader = leaderOtherThan(sim, victim);
    LaggingRaft raft = new LaggingRaft(sim.state, sim.state);
    try (CoordinatorService s = service(raft, leader)) {
      Result r = s.recordLost(new Command.SetNodeState(victim, NodeState.LOST, "not heard for 500 ms", "node:" + leader,
          sim.millis())).get(10, TimeUnit.SECONDS);
      assertThat(r.accepted()).as(r.message()).isTrue();
      assertThat(raft.proposed).singleElement().isInstanceOfSatisfying(Command.Batch.class, b -> assertThat(b.commands())
          .hasSize(2).satisfies(cs -> {
            assertThat(cs.get(0)).isInstanceOf(Command.SetNodeState.class);
            assertThat(cs.get(1)).isInstanceOf(Command.StartTransition.class);
          }));
      assertThat(raft.truth.status().nodes().get(victim).state()).isEqualTo(NodeState.LOST);
      var fence = raft.truth.status().transition().progress().values().stream()
          .filter(p -> p.actionId().startsWith("FENCE:" + victim + ":")).findFirst().orElseThrow();
      assertThat(fence.phase()).isEqualTo(Phase.RUNNING);
      assertThat(fence.node()).isEqualTo(leader);
    }
  }

  @Test
  void aMarkTheStateRefusesGoesAloneWithoutAPlan() throws Exception {
    CoordinatorSimulation sim = converged();
    String victim = sim.where("vip").iterator().next();
    String leader = leaderOtherThan(sim, victim);
    sim.apply(new Command.SetNodeState(victim, NodeState.FENCED, "fenced by the operator", "root", sim.millis()));
    String before = sim.state.status().transition().id();
    LaggingRaft raft = new LaggingRaft(sim.state, sim.state);
    try (CoordinatorService s = service(raft, leader)) {
      Result r = s.recordLost(new Command.SetNodeState(victim, NodeState.LOST, "not heard", "node:" + leader, sim.millis()))
          .get(10, TimeUnit.SECONDS);
      assertThat(r.accepted()).isFalse();
      assertThat(raft.proposed).singleElement().isInstanceOf(Command.SetNodeState.class);
      assertThat(raft.truth.status().transition().id()).isEqualTo(before);
    }
  }
}
