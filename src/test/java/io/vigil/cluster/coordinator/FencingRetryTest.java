package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cluster.state.Command;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterConfig;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Automatic fencing's retry settings as cluster properties (fencing-retry-initial, -retry-max,
 * -max-attempts), in the whole-cluster simulation: the real state machine, scheduler and
 * coordinator logic with a simulated clock and a fence device that keeps failing.
 */
class FencingRetryTest {
  private static String yaml(String properties) {
    return CoordinatorLogicTest.TWO_GROUP.replace("properties: {fencing-enabled: true}", "properties: {fencing-enabled: true, " + properties + "}");
  }

  private static ClusterConfig load(String yaml) {
    return new ConfigLoader(AgentCatalog.NONE).check(yaml, "sim.yaml").config().orElseThrow();
  }

  /** A cluster after its node running vip was lost, its fence device failing, and time run on. */
  private record Lost(CoordinatorSimulation sim, String victim) {}

  /**
   * Converges a cluster with these {@code properties}, loses the node running vip with a fence
   * device that fails {@code failures} times, and runs {@code blockedMillis} of simulated time
   * ({@link #runBlocked}).
   */
  private static Lost lostWithFailingDevice(String properties, long seed, int failures, long blockedMillis) {
    CoordinatorSimulation sim = new CoordinatorSimulation(yaml(properties), seed);
    sim.converge(50);
    String victim = sim.where("vip").iterator().next();
    sim.fencingFailuresLeft = failures;
    sim.loseNode(victim);
    runBlocked(sim, victim, blockedMillis);
    return new Lost(sim, victim);
  }

  /** Steps for {@code millis} of simulated time, checking that nothing of {@code victim} runs elsewhere while it is not fenced. */
  private static void runBlocked(CoordinatorSimulation sim, String victim, long millis) {
    long end = sim.millis() + millis;
    while (sim.millis() < end) {
      sim.step();
      assertThat(sim.invariantViolations()).isEmpty();
      if (sim.state.status().nodes().get(victim).state() == io.vigil.cluster.state.NodeState.FENCED) continue;
      assertThat(sim.where("vip")).as("the lost node's resources are not recovered elsewhere").allMatch(n -> n.equals(victim));
      assertThat(sim.where("web")).allMatch(n -> n.equals(victim));
    }
  }

  @Test
  void aCustomBackoffStartsAtFencingRetryInitialAndStopsGrowingAtFencingRetryMax() {
    Lost lost = lostWithFailingDevice("fencing-retry-initial: 2s, fencing-retry-max: 3s", 3, 3, 9_000);
    CoordinatorSimulation sim = lost.sim();
    String victim = lost.victim();
    sim.converge(50);
    assertThat(sim.fenceAttempts).hasSize(4);
    // 2 s after the first failure, then 3 s (4 s capped), then 3 s again (each hand-over adds up to 100 ms)
    assertThat(sim.fenceAttempts.get(1) - sim.fenceAttempts.get(0)).isBetween(2_000L, 2_500L);
    assertThat(sim.fenceAttempts.get(2) - sim.fenceAttempts.get(1)).isBetween(3_000L, 3_500L);
    assertThat(sim.fenceAttempts.get(3) - sim.fenceAttempts.get(2)).isBetween(3_000L, 3_500L);
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(victim);
  }

  @Test
  void afterFencingMaxAttemptsTheLeaderGivesUpTheResourcesStayBlockedAndAConfirmationRecoversThem() {
    Lost lost = lostWithFailingDevice("stonith-max-attempts: 2", 5, 1_000, 120_000); // far beyond the 5 s backoff after the first failure
    CoordinatorSimulation sim = lost.sim();
    String victim = lost.victim();
    assertThat(sim.fenceAttempts).as("no attempt after the second failure").hasSize(2);
    assertThat(sim.fenceAttempts.get(1) - sim.fenceAttempts.get(0)).isBetween(5_000L, 5_500L);
    assertThat(FenceBackoff.gaveUp(sim.state, sim.config.properties(), victim)).isTrue();
    assertThat(FenceBackoff.retryAt(sim.state, sim.config.properties(), victim)).isEmpty();
    assertThat(FenceBackoff.warning(sim.state, sim.config.properties(), victim)).hasValueSatisfying(w -> assertThat(w)
        .startsWith("fencing of " + victim + " gave up after 2 failed attempt(s) (fencing-max-attempts 2; last at ")
        .contains("pdu unreachable", "stays blocked", "vigil fence " + victim + ")", "vigil fence confirm " + victim + " --yes"));
    assertThat(sim.state.status().transition().progress().values()).as("the fencing stays pending, so what waits for it does not run")
        .anyMatch(p -> p.actionId().startsWith("FENCE") && p.phase() == io.vigil.cluster.state.Transition.ActionProgress.Phase.PENDING);

    sim.running.values().forEach(nodes -> nodes.remove(victim)); // the operator powered it off and vouches for it
    sim.apply(new Command.RecordFencing(victim, "operator", "confirm", true, 0, "operator confirmed", "root@n1", sim.millis()));
    assertThat(FenceBackoff.warning(sim.state, sim.config.properties(), victim)).isEmpty();
    sim.converge(80);
    assertThat(sim.fenceAttempts).hasSize(2);
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(victim);
    assertThat(sim.where("web")).isEqualTo(sim.where("vip"));
  }

  @Test
  void raisingFencingMaxAttemptsAfterGivingUpResumesTheRetriesAtTheNextPlan() {
    Lost lost = lostWithFailingDevice("fencing-max-attempts: 1", 8, 1, 30_000);
    CoordinatorSimulation sim = lost.sim();
    String victim = lost.victim();
    assertThat(sim.fenceAttempts).hasSize(1);
    assertThat(FenceBackoff.gaveUp(sim.state, sim.config.properties(), victim)).isTrue();

    sim.reconfigure(load(yaml("fencing-max-attempts: 3")));
    sim.converge(80);
    assertThat(sim.fenceAttempts).hasSize(2);
    assertThat(sim.log).anyMatch(l -> l.endsWith(" fenced " + victim));
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(victim);
  }

  @Test
  void theNodeBeingHeardAgainClearsTheCountAndAGiveUp() {
    Lost lost = lostWithFailingDevice("fencing-max-attempts: 1", 4, 1, 10_000);
    CoordinatorSimulation sim = lost.sim();
    String victim = lost.victim();
    assertThat(FenceBackoff.gaveUp(sim.state, sim.config.properties(), victim)).isTrue();
    sim.rejoin(victim);
    assertThat(sim.state.status().nodes().get(victim).fenceFailures()).isZero();
    assertThat(FenceBackoff.gaveUp(sim.state, sim.config.properties(), victim)).isFalse();
    assertThat(FenceBackoff.warning(sim.state, sim.config.properties(), victim)).isEmpty();
    sim.converge(80);
    assertThat(sim.fenceAttempts).hasSize(1);
    assertThat(sim.where("vip")).hasSize(1);
  }

  @Test
  void theDefaultsAreFiveSecondsDoublingToFiveMinutesAndTenAttempts() {
    var s = new CoordinatorSimulation(CoordinatorLogicTest.TWO_GROUP, 3).state;
    var p = io.vigil.model.ClusterProperties.DEFAULTS;
    s = io.vigil.cluster.state.Apply.apply(s, new Command.SetNodeState("n2", io.vigil.cluster.state.NodeState.LOST, "silent", "b", 1)).state();
    long at = 1_000;
    for (int failures = 1; failures <= 10; failures++) {
      s = io.vigil.cluster.state.Apply.apply(s, new Command.RecordFencing("n2", "topology", "reboot", false, 10, "automatic: x", "b", at)).state();
      long expectedWait = Math.min(5_000L << (failures - 1), 300_000L);
      if (failures < 10) {
        assertThat(FenceBackoff.retryAt(s, p, "n2")).as("after %d failure(s)", failures).contains(Instant.ofEpochMilli(at + expectedWait));
      }
      at += expectedWait;
    }
    assertThat(FenceBackoff.gaveUp(s, p, "n2")).isTrue();
    assertThat(FenceBackoff.waiting(s, p, "n2", Instant.ofEpochMilli(Long.MAX_VALUE / 2))).isTrue();
  }

  @Test
  void aConfirmationWhileTheLeaderCannotReplanDoesNotRunTheStalePendingFencing() {
    Lost lost = lostWithFailingDevice("fencing-max-attempts: 1", 6, 1_000, 10_000);
    CoordinatorSimulation sim = lost.sim();
    String victim = lost.victim();
    String leader = sim.powered.iterator().next();
    assertThat(sim.state.status().transition().progress().values())
        .anyMatch(p -> p.actionId().startsWith("FENCE") && p.phase() == io.vigil.cluster.state.Transition.ActionProgress.Phase.PENDING);
    sim.running.values().forEach(nodes -> nodes.remove(victim));
    // The confirmation clears the failure count; until the leader replans (another action may be
    // running), the old plan's fencing is still pending, and it must not run against a fenced node.
    sim.apply(new Command.RecordFencing(victim, "operator", "confirm", true, 0, "operator confirmed", "root@n1", sim.millis()));
    assertThat(NodeWork.ready(sim.state, leader, true, sim.now, sim.config.properties())).noneMatch(a -> a.kind().equals("FENCE"));
    sim.converge(80);
    assertThat(sim.fenceAttempts).hasSize(1);
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(victim);
  }
}
