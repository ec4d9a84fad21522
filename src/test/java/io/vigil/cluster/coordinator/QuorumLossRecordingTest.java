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

  /** A slow stop (a volume flushing) waits for this when {@link #blockStops}. */
  private final CountDownLatch stopMayEnd = new CountDownLatch(1);
  private volatile boolean blockStops;

  /** Agents that record what they are asked; a probe finds vip running, a stop succeeds (slowly when asked). */
  private ExecResult agent(io.vigil.exec.Invocation inv) {
    ran.add(inv.action() + " " + inv.resourceId());
    if (inv.action().equals("stop") && blockStops) {
      try {
        stopMayEnd.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int rc = inv.action().equals("monitor") && inv.resourceId().equals("vip") || inv.action().equals("stop") ? 0 : 7;
    return new ExecResult(inv, rc, ExecStatus.DONE, Instant.EPOCH, Duration.ofMillis(1), "", false, "");
  }

  /**
   * n1's service after the cluster's first plan: its probes ran and found vip running here (not as
   * planned: the leader will replan), so the node knows it may run vip.
   */
  private CoordinatorService foundVipRunning(LaggingRaft raft, CoordinatorSimulation sim) {
    List<String> claimed = NodeWork.ready(sim.state, "n1", false, sim.now, sim.config.properties()).stream().map(PlannedAction::id).toList();
    CoordinatorService s = new CoordinatorService(raft, "n1", this::agent, (node, why) -> "no fencing here", Clock.systemUTC());
    s.applied(0, null, null, sim.state);
    await().atMost(Duration.ofSeconds(10)).until(() -> claimed.stream().allMatch(id ->
        raft.truth.status().transition().progress().get(id).phase().compareTo(Phase.RUNNING) > 0));
    assertThat(raft.truth.status().operations().get("vip/n1/monitor/0").rc()).isZero();
    return s;
  }

  /** The cluster after its first plan, every node's probes claimed and none reported. */
  private static CoordinatorSimulation firstPlanClaimed() {
    CoordinatorSimulation sim = new CoordinatorSimulation(CoordinatorLogicTest.TWO_GROUP, 3);
    sim.promptReports = 0.0;
    sim.step();
    return sim;
  }

  @Test
  void aStopStillRunningWhenQuorumReturnsIsRecordedWhenItEnds() throws Exception {
    CoordinatorSimulation sim = firstPlanClaimed();
    LaggingRaft raft = new LaggingRaft(sim.state, sim.state);
    blockStops = true;
    try (CoordinatorService s = foundVipRunning(raft, sim)) {
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
  void aStopResultThatCannotBeDeliveredWhenQuorumReturnsIsKeptAndRecordedLater() throws Exception {
    CoordinatorSimulation sim = firstPlanClaimed();
    LaggingRaft raft = new LaggingRaft(sim.state, sim.state);
    try (CoordinatorService s = foundVipRunning(raft, sim)) {
      s.quorumLost(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
      s.drainQuorumWork();
      assertThat(ran).contains("stop vip");
      raft.failNext = 2; // quorum is back, but the first submissions do not get through (a group switching)
      s.quorumGained();
      await().atMost(Duration.ofSeconds(10)).until(() -> raft.truth.status().operations().containsKey("vip/n1/stop/0"));
      assertThat(raft.truth.status().operations().get("vip/n1/stop/0").rc()).isZero();
    }
  }

  @Test
  void aLossOfQuorumThatEndsWithinItsConfirmationStopsNothing() throws Exception {
    CoordinatorSimulation sim = firstPlanClaimed();
    LaggingRaft raft = new LaggingRaft(sim.state, sim.state);
    try (CoordinatorService s = foundVipRunning(raft, sim)) {
      ran.clear();
      s.confirmQuorumLossAfter(Duration.ofSeconds(1)); // (100 ms in production) long enough for any machine's hiccups here
      s.quorumLost(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
      Thread.sleep(50); // a late answer: without the confirmation, the stop pass would have run by now
      s.quorumGained();
      s.drainQuorumWork();
      assertThat(ran).as("a brief loss stops nothing").noneMatch(r -> r.startsWith("stop "));
      // a loss that lasts is confirmed and stops what runs here
      s.quorumLost(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
      s.drainQuorumWork();
      assertThat(ran).contains("stop vip");
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
    CoordinatorSimulation sim = firstPlanClaimed();
    LaggingRaft raft = new LaggingRaft(sim.state, sim.state);
    try (CoordinatorService s = foundVipRunning(raft, sim)) {
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
