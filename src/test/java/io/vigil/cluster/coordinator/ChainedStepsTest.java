package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Transition.ActionProgress.Phase;
import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A group's next step on the same node starts as soon as that node has finished the previous one,
 * not when the previous step's result has committed: driven through the real
 * {@link CoordinatorService} over an in-memory Raft that holds back the commit of the first step's
 * result until the test releases it.
 */
class ChainedStepsTest {
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @Test
  void theNextStepOnTheSameNodeStartsBeforeThePreviousStepsResultCommits() {
    var r = CoordinatorLogicTest.Recovery.planned();
    var sim = r.sim();
    String runsIt = r.startVip().node();
    String daemon = r.daemonOf(runsIt); // the service runs as the daemon the fencing's end claimed for
    r.fenceDoneWith(NodeWork.claimsAfter(sim.state, r.fence().id(), r.leader(), "leader-daemon", sim.millis()));
    String vip = r.startVip().id();
    LaggingRaft raft = new LaggingRaft(sim.state, sim.state);
    raft.hold = c -> c instanceof Command.Batch b && b.commands().stream().anyMatch(x -> x instanceof Command.ReportProgress p
        && p.progress().actionId().equals(vip) && p.progress().phase() == Phase.DONE);
    try (CoordinatorService s = new CoordinatorService(raft, runsIt, inv -> {
      ran.add(inv.action() + " " + inv.resourceId());
      return new ExecResult(inv, 0, ExecStatus.DONE, Instant.EPOCH, Duration.ofMillis(1), "", false, "");
    }, (node, why) -> "no fencing here", Clock.systemUTC(), daemon)) {
      s.applied(0, null, null, sim.state);
      await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("start web"));
      assertThat(raft.release).as("the vip start's result is still uncommitted").isNotDone();
      assertThat(ran).containsSubsequence("start vip", "start web");
      raft.release.complete(null);
      await().atMost(Duration.ofSeconds(10)).until(() -> raft.truth.status().transition().progress().values().stream()
          .filter(p -> p.actionId().startsWith("START:")).allMatch(p -> p.phase() == Phase.DONE));
    }
  }
}
