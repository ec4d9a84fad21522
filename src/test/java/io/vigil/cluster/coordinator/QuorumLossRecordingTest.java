package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.cluster.state.OpResult;
import io.vigil.cluster.state.Transition.ActionProgress.Phase;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node that lost quorum stops what it runs on its own; when quorum returns while a stop is still
 * under way, that stop's result is recorded all the same once it ends, so the cluster knows the
 * resource stopped and starts it again. Driven through the real {@link CoordinatorService} over an
 * in-memory Raft, with agents that only record what they are asked and block a stop on demand.
 */
class QuorumLossRecordingTest {
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopMayEnd = new CountDownLatch(1);

  @Test
  void aStopStillRunningWhenQuorumReturnsIsRecordedWhenItEnds() throws Exception {
    CoordinatorSimulation sim = new CoordinatorSimulation(CoordinatorLogicTest.TWO_GROUP, 3);
    sim.promptReports = 0.0;
    sim.step(); // every node claimed its probes; none reported
    List<String> claimed = NodeWork.ready(sim.state, "n1", false, sim.now, sim.config.properties()).stream().map(PlannedAction::id).toList();
    LaggingRaft raft = new LaggingRaft(sim.state, sim.state);
    try (CoordinatorService s = new CoordinatorService(raft, "n1", inv -> {
      ran.add(inv.action() + " " + inv.resourceId());
      if (inv.action().equals("stop")) {
        try {
          stopMayEnd.await(10, TimeUnit.SECONDS); // a slow stop (a volume flushing)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int rc = inv.action().equals("monitor") && inv.resourceId().equals("vip") ? 0 : inv.action().equals("stop") ? 0 : 7;
      return new ExecResult(inv, rc, ExecStatus.DONE, Instant.EPOCH, Duration.ofMillis(1), "", false, "");
    }, (node, why) -> "no fencing here", Clock.systemUTC())) {
      s.applied(0, null, null, sim.state);
      // its probe finds vip running here (not as planned: the leader will replan); the node now
      // knows it may run it
      await().atMost(Duration.ofSeconds(10)).until(() -> claimed.stream().allMatch(id ->
          raft.truth.status().transition().progress().get(id).phase().compareTo(Phase.RUNNING) > 0));
      assertThat(raft.truth.status().operations().get("vip/n1/monitor/0").rc()).isZero();

      s.quorumLost(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
      await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("stop vip"));
      s.quorumGained(); // quorum is back while the stop still runs
      stopMayEnd.countDown();

      await().atMost(Duration.ofSeconds(10)).until(() -> raft.truth.status().operations().containsKey("vip/n1/stop/0"));
      OpResult stop = raft.truth.status().operations().get("vip/n1/stop/0");
      assertThat(stop.rc()).isZero();
      assertThat(stop.failed()).isFalse();
    }
  }

  @Test
  void aNodeInMaintenanceLeavesItsResourcesRunningWhenItLosesQuorumAndAnOnlineNodeStopsThem() throws Exception {
    assertThat(stopsOnQuorumLoss(true)).as("in maintenance: nothing stopped").noneMatch(r -> r.startsWith("stop "));
    ran.clear();
    assertThat(stopsOnQuorumLoss(false)).as("online: vip stopped").contains("stop vip");
  }

  /** What n1's agents ran after it lost quorum, having found vip running, in maintenance or not. */
  private List<String> stopsOnQuorumLoss(boolean maintenance) throws Exception {
    CoordinatorSimulation sim = new CoordinatorSimulation(CoordinatorLogicTest.TWO_GROUP, 3);
    sim.promptReports = 0.0;
    sim.step();
    List<String> claimed = NodeWork.ready(sim.state, "n1", false, sim.now, sim.config.properties()).stream().map(PlannedAction::id).toList();
    LaggingRaft raft = new LaggingRaft(sim.state, sim.state);
    try (CoordinatorService s = new CoordinatorService(raft, "n1", inv -> {
      ran.add(inv.action() + " " + inv.resourceId());
      int rc = inv.action().equals("monitor") && inv.resourceId().equals("vip") ? 0 : inv.action().equals("stop") ? 0 : 7;
      return new ExecResult(inv, rc, ExecStatus.DONE, Instant.EPOCH, Duration.ofMillis(1), "", false, "");
    }, (node, why) -> "no fencing here", Clock.systemUTC())) {
      s.applied(0, null, null, sim.state);
      await().atMost(Duration.ofSeconds(10)).until(() -> claimed.stream().allMatch(id ->
          raft.truth.status().transition().progress().get(id).phase().compareTo(Phase.RUNNING) > 0));
      if (maintenance) {
        raft.submit(new io.vigil.cluster.state.Command.SetNodeState("n1", io.vigil.cluster.state.NodeState.MAINTENANCE,
            "package upgrade", "root", sim.millis())).get();
      }
      ran.clear();
      s.quorumLost(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
      s.drainQuorumWork();
      return List.copyOf(ran);
    }
  }
}
