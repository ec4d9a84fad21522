package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cluster.state.Apply;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.Transition;
import io.vigil.model.ClusterProperties;
import java.time.Instant;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The coordinator with the real state machine and scheduler, in deterministic simulations. */
class CoordinatorLogicTest {
  static final String TWO_GROUP = """
      cluster: sim
      properties: {fencing-enabled: true}
      resource-defaults: {resource-stickiness: 100}
      nodes: [{name: n1}, {name: n2}, {name: n3}]
      resources:
        - primitive: fence
          agent: stonith:fence_dummy
        - group: site
          members:
            - primitive: vip
              agent: ocf:heartbeat:Dummy
              operations: [{name: monitor, interval: 10s}]
            - primitive: web
              agent: ocf:heartbeat:Dummy
              operations: [{name: monitor, interval: 10s}]
      """;

  @Test
  void startsEveryResourceOnceAndThenWaits() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 1);
    sim.converge(50);
    assertThat(sim.where("vip")).hasSize(1);
    assertThat(sim.where("web")).isEqualTo(sim.where("vip"));
    assertThat(CoordinatorLogic.decide(sim.state, sim.config, true, sim.now, "leader"))
        .isInstanceOf(CoordinatorLogic.Wait.class);
  }

  @Test
  void resourceViewShowsWhereEachInstanceRunsAndItsFailures() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 7);
    sim.converge(50);
    String node = sim.where("web").iterator().next();
    sim.killResource("web", node);
    var view = ResourceView.of(sim.state, sim.config, true, sim.now);
    var web = view.resources().stream().filter(l -> l.instance().equals("web")).findFirst().orElseThrow();
    assertThat(web.failed()).isTrue();
    assertThat(web.failCounts()).containsEntry(node, 1);
    sim.converge(50);
    view = ResourceView.of(sim.state, sim.config, true, sim.now);
    assertThat(view.resources()).filteredOn(l -> l.instance().equals("vip")).singleElement()
        .satisfies(l -> assertThat(l.runningOn()).containsOnlyKeys(node));
    assertThat(view.pendingActions()).isZero();
  }

  @Test
  void lostNodeIsFencedBeforeItsGroupStartsElsewhere() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 2);
    sim.converge(50);
    String first = sim.where("vip").iterator().next();
    sim.loseNode(first);
    sim.converge(50);
    assertThat(sim.log).anyMatch(l -> l.endsWith(" fenced " + first));
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(first);
    assertThat(sim.where("web")).isEqualTo(sim.where("vip"));
    int fencedAt = indexOf(sim, " fenced " + first);
    int startedAt = indexOf(sim, "START:vip:");
    assertThat(fencedAt).isLessThan(lastIndexOf(sim, "START:vip:"));
    assertThat(startedAt).isNotNegative();
  }

  @Test
  void aFailedFencingIsRetriedOnlyAfterItsBackoffAndTheLostNodesResourcesWaitForIt() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 3);
    sim.converge(50);
    String victim = sim.where("vip").iterator().next();
    sim.fencingFailuresLeft = 2;
    sim.loseNode(victim);
    for (int i = 0; i < 300; i++) { // 30 s of simulated time, 100 ms per step
      sim.step();
      assertThat(sim.invariantViolations()).isEmpty();
      if (sim.fenceAttempts.size() < 3) {
        assertThat(sim.where("vip")).as("nothing of the lost node starts elsewhere before it is fenced").doesNotHaveDuplicates()
            .allMatch(n -> n.equals(victim));
      }
    }
    sim.converge(50);
    assertThat(sim.fenceAttempts).hasSize(3);
    // 5 s after the first failure, 10 s after the second (the step adds up to 100 ms per hand-over)
    assertThat(sim.fenceAttempts.get(1) - sim.fenceAttempts.get(0)).isBetween(5_000L, 5_500L);
    assertThat(sim.fenceAttempts.get(2) - sim.fenceAttempts.get(1)).isBetween(10_000L, 10_500L);
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(victim);
    assertThat(sim.state.history().events()).filteredOn(e -> e.text().contains("failed: automatic: pdu unreachable")).hasSize(2);
  }

  @Test
  void failuresToFenceAreCountedOnTheNodeAndForgottenOnceItIsFenced() {
    var s = new CoordinatorSimulation(TWO_GROUP, 3).state;
    String node = s.status().nodes().keySet().iterator().next();
    s = Apply.apply(s, new Command.SetNodeState(node, NodeState.LOST, "silent", "b", 1)).state();
    s = Apply.apply(s, new Command.RecordFencing(node, "topology", "reboot", false, 10, "automatic: pdu unreachable", "b", 1_000)).state();
    s = Apply.apply(s, new Command.RecordFencing(node, "topology", "reboot", false, 10, "automatic: pdu unreachable", "b", 7_000)).state();
    assertThat(s.status().nodes().get(node).fenceFailures()).isEqualTo(2);
    assertThat(FenceBackoff.retryAt(s, ClusterProperties.DEFAULTS, node)).contains(Instant.ofEpochMilli(17_000));
    assertThat(FenceBackoff.waiting(s, ClusterProperties.DEFAULTS, node, Instant.ofEpochMilli(16_999))).isTrue();
    assertThat(FenceBackoff.waiting(s, ClusterProperties.DEFAULTS, node, Instant.ofEpochMilli(17_000))).isFalse();
    s = Apply.apply(s, new Command.RecordFencing(node, "topology", "reboot", true, 10, "automatic", "b", 18_000)).state();
    assertThat(s.status().nodes().get(node).state()).isEqualTo(NodeState.FENCED);
    assertThat(s.status().nodes().get(node).fenceFailures()).isZero();
    assertThat(FenceBackoff.retryAt(s, ClusterProperties.DEFAULTS, node)).isEmpty();
  }

  @Test
  void theLeaderClaimsFencingWithThePlanAndRunsItEvenAfterSteppingDown() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 3);
    sim.converge(50);
    sim.withPlans = false; // this test looks at the plan the leader makes after the LOST mark
    String victim = sim.where("vip").iterator().next();
    sim.loseNode(victim);
    String leader = sim.powered.stream().sorted().findFirst().orElseThrow();
    var d = CoordinatorLogic.decide(sim.state, sim.config, true, sim.now, leader);
    assertThat(d).isInstanceOf(CoordinatorLogic.Replan.class);
    var t = ((CoordinatorLogic.Replan) d).command().transition();
    var fence = t.progress().values().stream().filter(p -> p.actionId().startsWith("FENCE")).findFirst().orElseThrow();
    assertThat(fence.phase()).isEqualTo(Transition.ActionProgress.Phase.RUNNING);
    assertThat(fence.node()).isEqualTo(leader);
    sim.apply(((CoordinatorLogic.Replan) d).command());
    // another node leads now: the fencing stays with the node that claimed it, nothing else may run it
    String other = sim.powered.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    assertThat(NodeWork.ready(sim.state, other, true, sim.now, sim.config.properties())).noneMatch(a -> a.kind().equals("FENCE"));
    assertThat(NodeWork.ready(sim.state, leader, false, sim.now, sim.config.properties())).anyMatch(a -> a.kind().equals("FENCE") && a.resource().equals(victim));
  }

  /** The site's node lost, and the leader's plan (fence it, start the group elsewhere) recorded. */
  record Recovery(CoordinatorSimulation sim, String victim, String leader, String tid, PlannedAction fence, PlannedAction startVip) {
    static Recovery planned() {
      CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 12);
      sim.converge(50);
      sim.withPlans = false; // the tests look at the plan the leader makes after the LOST mark
      String victim = sim.where("vip").iterator().next();
      sim.loseNode(victim);
      String leader = sim.powered.stream().sorted().findFirst().orElseThrow();
      var replan = (CoordinatorLogic.Replan) CoordinatorLogic.decide(sim.state, sim.config, true, sim.now, leader);
      sim.apply(replan.command());
      var actions = replan.plan().actions();
      return new Recovery(sim, victim, leader, replan.command().transition().id(),
          actions.stream().filter(a -> a.kind().equals("FENCE")).findFirst().orElseThrow(),
          actions.stream().filter(a -> a.kind().equals("START") && a.resource().equals("vip")).findFirst().orElseThrow());
    }

    /** The daemon incarnation the fencing's end claims {@code node}'s steps for ("leader-daemon" is the leader's own). */
    String daemonOf(String node) {
      return node.equals(leader) ? "leader-daemon" : sim.state.status().nodes().get(node).incarnation();
    }

    /** The leader records the fencing's end with {@code claims}, in one entry, as CoordinatorService does. */
    void fenceDoneWith(java.util.List<Transition.ActionProgress> claims) {
      var batch = new java.util.ArrayList<io.vigil.cluster.state.Command>();
      batch.add(new io.vigil.cluster.state.Command.ReportProgress(tid, new Transition.ActionProgress(fence.id(),
          Transition.ActionProgress.Phase.DONE, 0, sim.millis(), leader), leader, sim.millis()));
      claims.forEach(p -> batch.add(new io.vigil.cluster.state.Command.ReportProgress(tid, p, leader, sim.millis())));
      sim.apply(new io.vigil.cluster.state.Command.Batch(batch, leader, sim.millis()));
    }
  }

  @Test
  void theNextStepOfAGroupIsClaimedWithThePreviousStepsEndOnceNothingElseIsPending() {
    Recovery r = Recovery.planned();
    CoordinatorSimulation sim = r.sim();
    PlannedAction startVip = r.startVip();
    String leader = r.leader();
    // while the fencing is not done, finishing the vip start would unlock nothing (web waits for the fencing too)
    assertThat(NodeWork.claimsAfter(sim.state, startVip.id(), startVip.node(), "self", sim.millis()))
        .noneMatch(p -> p.actionId().contains(":web:"));
    sim.apply(new io.vigil.cluster.state.Command.ReportProgress(r.tid(), new Transition.ActionProgress(r.fence().id(),
        Transition.ActionProgress.Phase.DONE, 0, sim.millis(), leader), leader, sim.millis()));
    var next = NodeWork.claimsAfter(sim.state, startVip.id(), startVip.node(), "self", sim.millis());
    assertThat(next).anyMatch(p -> p.actionId().startsWith("START:web:" + startVip.node() + ":"));
    // claims for this node carry this daemon's incarnation
    assertThat(next).allMatch(p -> p.phase() == Transition.ActionProgress.Phase.RUNNING && p.node().equals(startVip.node())
        && p.incarnation().equals("self"));
  }

  @Test
  void theFencingsEndClaimsTheRecoveryForTheNodeThatRunsItWithThatNodesIncarnation() {
    Recovery r = Recovery.planned();
    CoordinatorSimulation sim = r.sim();
    PlannedAction fence = r.fence();
    PlannedAction startVip = r.startVip();
    String leader = r.leader();
    assertThat(startVip.after()).containsExactly(fence.id());
    String runsIt = startVip.node();
    assertThat(sim.state.status().nodes().get(runsIt).incarnation()).isNotEmpty();
    String expected = r.daemonOf(runsIt);
    var claims = NodeWork.claimsAfter(sim.state, fence.id(), leader, "leader-daemon", sim.millis());
    assertThat(claims).anySatisfy(p -> {
      assertThat(p.actionId()).isEqualTo(startVip.id());
      assertThat(p.node()).isEqualTo(runsIt);
      assertThat(p.incarnation()).isEqualTo(expected);
    });
    // applied with the fencing's end, the claim is the node's own: its daemon runs it without claiming again
    r.fenceDoneWith(claims);
    assertThat(NodeWork.claimedFor(sim.state, runsIt, expected, startVip.id())).isTrue();
    // a restarted daemon of that node (another incarnation) does not take it as its own: it claims it again
    assertThat(NodeWork.claimedFor(sim.state, runsIt, "restarted", startVip.id())).isFalse();
    assertThat(NodeWork.ready(sim.state, runsIt, false, sim.now, sim.config.properties())).anyMatch(a -> a.id().equals(startVip.id()));
    // the start stands as pending in the operation history, as a node's own claim does
    assertThat(sim.state.status().operations().values()).anyMatch(op -> op.pending() && op.resource().equals("vip") && op.node().equals(runsIt));
  }

  @Test
  void theFencingsEndAlsoClaimsTheGroupsLaterStepsOnTheSameNodeWhichRunAsSoonAsThatNodeFinishedThePreviousOne() {
    Recovery r = Recovery.planned();
    CoordinatorSimulation sim = r.sim();
    PlannedAction startVip = r.startVip();
    String runsIt = startVip.node();
    String daemon = r.daemonOf(runsIt);
    var claims = NodeWork.claimsAfter(sim.state, r.fence().id(), r.leader(), "leader-daemon", sim.millis());
    // the web start waits for the vip start (same node) and the fencing (done): claimed with it, for the same daemon
    String startWeb = claims.stream().map(Transition.ActionProgress::actionId)
        .filter(id -> id.startsWith("START:web:" + runsIt + ":")).findFirst().orElseThrow();
    assertThat(claims).allMatch(p -> p.node().equals(runsIt) && p.incarnation().equals(daemon));
    r.fenceDoneWith(claims);
    var props = sim.config.properties();
    // before the vip start has finished, the web start is not ready; once this daemon finished it (not yet recorded), it is
    assertThat(NodeWork.ready(sim.state, runsIt, false, sim.now, props, daemon, java.util.Set.of())).noneMatch(a -> a.id().equals(startWeb));
    assertThat(NodeWork.ready(sim.state, runsIt, false, sim.now, props, daemon, java.util.Set.of(startVip.id())))
        .anyMatch(a -> a.id().equals(startWeb));
    // a restarted daemon of that node does not: the claims are not its own, it waits for the recorded result
    assertThat(NodeWork.ready(sim.state, runsIt, false, sim.now, props, "restarted", java.util.Set.of(startVip.id())))
        .noneMatch(a -> a.id().equals(startWeb));
    // if the vip start fails, the claims that waited for it are the ones the node cancels with the failure
    assertThat(NodeWork.claimedAfter(sim.state, startVip.id(), runsIt, daemon)).contains(startWeb).doesNotContain(startVip.id());
    assertThat(NodeWork.claimedAfter(sim.state, startVip.id(), runsIt, "restarted")).isEmpty();
  }

  @Test
  void aFailedStartWhoseSuccessorsWereClaimedCancelsThemAndTheGroupMovesAway() {
    Recovery r = Recovery.planned();
    CoordinatorSimulation sim = r.sim();
    sim.failNextStart("vip", r.startVip().node());
    sim.converge(120);
    assertThat(sim.state.openClaims()).isEmpty();
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(r.startVip().node());
    assertThat(sim.where("web")).isEqualTo(sim.where("vip"));
  }

  @Test
  void noClaimIsMadeForANodeWhoseDaemonIsNotKnownOrThatIsLost() {
    Recovery r = Recovery.planned();
    CoordinatorSimulation sim = r.sim();
    assertThat(NodeWork.incarnationOf(sim.state, r.victim())).as("lost").isEmpty();
    PlannedAction fence = r.fence();
    PlannedAction startVip = r.startVip();
    // the node that runs the start has not announced its daemon (e.g. it just restarted): it claims the start itself
    sim.apply(new io.vigil.cluster.state.Command.SetNodeAttribute(startVip.node(), io.vigil.cluster.state.NodeStatus.INCARNATION,
        null, startVip.node(), sim.millis()));
    String other = sim.powered.stream().filter(n -> !n.equals(startVip.node())).findFirst().orElseThrow();
    assertThat(NodeWork.claimsAfter(sim.state, fence.id(), other, "x", sim.millis())).noneMatch(p -> p.actionId().equals(startVip.id()));
  }

  @Test
  void aPlansFirstStepsAreClaimedForTheirNodesAndAClaimForANodeLostMeanwhileStaysPending() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 5);
    sim.converge(50);
    sim.withPlans = false; // this test looks at the plan the leader makes after the LOST mark
    String where = sim.where("vip").iterator().next();
    // an operator stops the group: its stops wait for nothing and are claimed with the plan for the node that runs them
    sim.reconfigure(OperatorEdits.targetRole(sim.config, "site", io.vigil.model.Role.STOPPED));
    String leader = sim.powered.stream().sorted().findFirst().orElseThrow();
    var d = CoordinatorLogic.decide(sim.state, sim.config, true, sim.now, leader);
    assertThat(d).isInstanceOf(CoordinatorLogic.Replan.class);
    var t = ((CoordinatorLogic.Replan) d).command().transition();
    var plan = ((CoordinatorLogic.Replan) d).plan();
    var first = plan.actions().stream().filter(a -> a.after().isEmpty() && !a.kind().equals("FENCE")).toList();
    assertThat(first).isNotEmpty();
    for (PlannedAction a : first) {
      var p = t.progress().get(a.id());
      assertThat(p.phase()).as(a.id()).isEqualTo(Transition.ActionProgress.Phase.RUNNING);
      assertThat(p.incarnation()).as(a.id()).isEqualTo(sim.state.status().nodes().get(a.node()).incarnation());
    }
    // the node is lost before the plan commits: its claims are recorded as pending, not as claimed
    sim.loseNode(where);
    sim.apply(((CoordinatorLogic.Replan) d).command());
    var recorded = sim.state.status().transition();
    assertThat(recorded.id()).isEqualTo(t.id());
    for (PlannedAction a : first) {
      if (a.node().equals(where)) {
        assertThat(recorded.progress().get(a.id()).phase()).as(a.id()).isEqualTo(Transition.ActionProgress.Phase.PENDING);
      }
    }
    assertThat(sim.state.openClaims()).noneMatch(id -> id.contains(":" + where + ":"));
  }

  static final String WITH_WITNESS = TWO_GROUP.replace("nodes: [{name: n1}, {name: n2}, {name: n3}]",
      "nodes: [{name: n1}, {name: n2}, {name: n3, witness: true}]");

  @Test
  void aWitnessRunsNothingAndIsNotFencedWhenLostButAWorkersLossStillIsRecoveredOnTheOtherWorker() {
    CoordinatorSimulation sim = new CoordinatorSimulation(WITH_WITNESS, 11);
    sim.converge(50);
    assertThat(sim.running.values()).allSatisfy(nodes -> assertThat(nodes).doesNotContain("n3"));
    // the witness goes: nothing to fence, nothing moves
    var before = java.util.Map.copyOf(sim.running);
    sim.loseNode("n3");
    sim.converge(50);
    assertThat(sim.log).noneMatch(l -> l.contains("fenced n3"));
    assertThat(sim.where("vip")).isEqualTo(before.get("vip"));
    sim.rejoin("n3");
    sim.converge(50);
    // a worker goes: fenced, and the group comes back on the other worker, never on the witness
    String worker = sim.where("vip").iterator().next();
    sim.loseNode(worker);
    sim.converge(50);
    assertThat(sim.log).anyMatch(l -> l.endsWith(" fenced " + worker));
    String other = worker.equals("n1") ? "n2" : "n1";
    assertThat(sim.where("vip")).containsExactly(other);
    assertThat(sim.where("web")).containsExactly(other);
  }

  @Test
  void aWitnessThatRanSomethingIsFencedLikeAnyNode() {
    var ops = java.util.List.of(new io.vigil.cluster.state.OpResult("vip", "n3", "probe", 0, 7, 1, 0, 1, false, ""));
    assertThat(StatusView.ranNothing(ops)).isTrue();
    var ran = java.util.List.of(new io.vigil.cluster.state.OpResult("vip", "n3", "monitor", 0, 0, 1, 0, 1, false, ""));
    assertThat(StatusView.ranNothing(ran)).isFalse();
    var started = java.util.List.of(new io.vigil.cluster.state.OpResult("vip", "n3", "start", 0, 1, 1, 0, 1, true, ""));
    assertThat(StatusView.ranNothing(started)).isFalse();
  }

  @Test
  void anActionRunningOnALostNodeDoesNotHoldThePlanBack() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 5);
    sim.converge(50);
    String node = sim.where("vip").iterator().next();
    sim.killResource("vip", node);
    sim.step(); // the leader replans the recovery
    var t = sim.state.status().transition();
    String someAction = t.progress().values().stream().filter(p -> p.node().equals(node)).findFirst().orElseThrow().actionId();
    sim.apply(new io.vigil.cluster.state.Command.ReportProgress(t.id(), new io.vigil.cluster.state.Transition.ActionProgress(
        someAction, io.vigil.cluster.state.Transition.ActionProgress.Phase.RUNNING, 0, sim.millis(), node), node, sim.millis()));
    sim.loseNode(node);
    sim.converge(80);
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(node);
  }

  @Test
  void withoutFencingALostNodesResourcesWaitForItsLease() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP.replace("fencing-enabled: true", "fencing-enabled: false"), 6);
    sim.converge(50);
    String node = sim.where("vip").iterator().next();
    sim.loseNode(node);
    java.time.Instant lostAt = sim.now;
    // Steps of 100 ms: nothing may start elsewhere while the lost node's lease may still run.
    while (sim.now.isBefore(lostAt.plus(StatusView.LOST_NODE_LEASE).minusMillis(150))) {
      sim.step();
      assertThat(sim.running.getOrDefault("vip", java.util.Set.of())).containsOnly(node);
    }
    // Its lease ran out: the lost node stopped its resources itself (lease, watchdog).
    sim.running.values().forEach(s -> s.remove(node));
    sim.now = lostAt.plus(StatusView.LOST_NODE_LEASE);
    sim.converge(80);
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(node);
  }

  @Test
  void withoutFencingAStartALostNodeClaimedAndNeverReportedKeepsTheResourceThereUntilItsLeaseEnds() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP.replace("fencing-enabled: true", "fencing-enabled: false"), 6);
    sim.converge(50);
    String node = sim.where("vip").iterator().next();
    sim.reconfigure(OperatorEdits.targetRole(sim.config, "site", io.vigil.model.Role.STOPPED));
    sim.converge(50);
    sim.reconfigure(OperatorEdits.targetRole(sim.config, "site", io.vigil.model.Role.STARTED));
    // the plan to start the group again, recorded before any node acts on it
    sim.apply(((CoordinatorLogic.Replan) CoordinatorLogic.decide(sim.state, sim.config, true, sim.now, node)).command());
    var t = sim.state.status().transition();
    String start = t.progress().keySet().stream().filter(id -> id.startsWith("START:vip:")).findFirst().orElseThrow();
    String where = io.vigil.cluster.state.ActionId.parse(start).orElseThrow().node();
    // the node claims the start, starts vip, and is cut off before its report arrives
    sim.apply(new io.vigil.cluster.state.Command.ReportProgress(t.id(), new io.vigil.cluster.state.Transition.ActionProgress(
        start, io.vigil.cluster.state.Transition.ActionProgress.Phase.RUNNING, 0, sim.millis(), where), where, sim.millis()));
    sim.running.computeIfAbsent("vip", k -> new java.util.LinkedHashSet<>()).add(where);
    sim.loseNode(where);
    java.time.Instant lostAt = sim.now;
    while (sim.now.isBefore(lostAt.plus(StatusView.LOST_NODE_LEASE).minusMillis(150))) {
      sim.step();
      assertThat(sim.running.get("vip")).as("node %s (first: %s)", where, node).containsOnly(where);
    }
  }

  /** Seeds of the fault simulation that once ran a resource twice (fixed since), kept as regressions. */
  @Test
  void seedsThatOnceRanAResourceTwice() {
    // a start elsewhere before a rejoined node's probe; a probe that found the resource running
    // yet let the start go on; a lost node's claimed start forgotten; and that claim forgotten by the next plan
    for (long seed : new long[] {111845, 41260, 256694, 38396}) {
      partitionsDelaysAndRestartsMidTransitionNeverRunAResourceTwiceAndHealedClustersConverge(seed);
    }
  }

  @Test
  void stopThenStartOfTheSameResourceOnTheSameNodeStartsItOnce() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 11);
    sim.converge(50);
    String node = sim.where("vip").iterator().next();
    sim.reconfigure(OperatorEdits.targetRole(sim.config, "site", io.vigil.model.Role.STOPPED));
    sim.converge(50);
    assertThat(sim.where("vip")).isEmpty();
    int starts = (int) sim.log.stream().filter(l -> l.contains(" START:vip:") && l.contains(" rc=")).count();
    sim.reconfigure(OperatorEdits.targetRole(sim.config, "site", io.vigil.model.Role.STARTED));
    sim.converge(50);
    assertThat(sim.where("vip")).containsExactly(node);
    assertThat(sim.log.stream().filter(l -> l.contains(" START:vip:") && l.contains(" rc=")).count()).isEqualTo(starts + 1);
    // ... and its recurring monitor runs again (a replan once the start was done must not drop it).
    int restarted = lastIndexOf(sim, " START:vip:");
    assertThat(sim.log.subList(restarted, sim.log.size())).anyMatch(l -> l.contains(" MONITOR:vip:" + node + ":10000 rc=0"));
  }

  @Test
  void aFencingPauseBlocksFencingAndRecoveryOfALostNodeUntilItEnds() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 9);
    sim.converge(50);
    String node = sim.where("vip").iterator().next();
    long until = sim.millis() + 10_000;
    sim.apply(new io.vigil.cluster.state.Command.PauseFencing("p1", "", until, "kernel upgrade", "root", sim.millis()));
    sim.loseNode(node);
    // While the pause lasts: the lost node is neither fenced nor are its resources started elsewhere.
    while (sim.millis() < until - 150) {
      sim.step();
      assertThat(sim.log).noneMatch(l -> l.endsWith(" fenced " + node));
      assertThat(sim.running.getOrDefault("vip", java.util.Set.of())).containsOnly(node);
    }
    sim.now = java.time.Instant.ofEpochMilli(until);
    sim.converge(80);
    assertThat(sim.log).anyMatch(l -> l.endsWith(" fenced " + node));
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(node);
  }

  @Test
  void aNodeLostWhileInMaintenanceIsNeverFencedAndWhatItRanIsNotRecoveredElsewhere() {
    for (String fencing : new String[] {"true", "false"}) {
      CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP.replace("fencing-enabled: true", "fencing-enabled: " + fencing), 12);
      sim.converge(50);
      String node = sim.where("vip").iterator().next();
      sim.apply(new io.vigil.cluster.state.Command.SetNodeState(node, io.vigil.cluster.state.NodeState.MAINTENANCE, "upgrade", "root",
          sim.millis()));
      sim.converge(20);
      sim.loseNode(node);
      assertThat(sim.state.status().nodes().get(node).lostInMaintenance()).isTrue();
      java.time.Instant lostAt = sim.now;
      // Well past the lease a trusted-lease recovery would wait for: still neither fenced nor recovered.
      while (sim.now.isBefore(lostAt.plus(StatusView.LOST_NODE_LEASE).plusSeconds(5))) {
        sim.step();
        assertThat(sim.log).as("fencing-enabled " + fencing).noneMatch(l -> l.endsWith(" fenced " + node));
        assertThat(sim.running.getOrDefault("vip", java.util.Set.of())).containsOnly(node);
      }
      // It comes back: in maintenance again, its resources where they were, nothing ran twice.
      sim.rejoin(node);
      sim.converge(50);
      assertThat(sim.state.status().nodes().get(node).state()).isEqualTo(io.vigil.cluster.state.NodeState.MAINTENANCE);
      assertThat(sim.where("vip")).containsExactly(node);
      assertThat(sim.invariantViolations()).isEmpty();
    }
  }

  @Test
  void anOperatorConfirmationDuringAPauseRecoversTheLostNodesResources() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 10);
    sim.converge(50);
    String node = sim.where("vip").iterator().next();
    sim.apply(new io.vigil.cluster.state.Command.PauseFencing("p1", node, sim.millis() + 3_600_000, "upgrade", "root", sim.millis()));
    sim.loseNode(node);
    for (int i = 0; i < 20; i++) sim.step();
    assertThat(sim.running.getOrDefault("vip", java.util.Set.of())).containsOnly(node);
    // The operator powered it off by hand and says so (vigil fence confirm): it runs nothing any more.
    sim.running.values().forEach(r -> r.remove(node));
    sim.apply(new io.vigil.cluster.state.Command.RecordFencing(node, "operator", "confirm", true, 0, "by hand", "root", sim.millis()));
    sim.converge(80);
    assertThat(sim.log).noneMatch(l -> l.endsWith(" fenced " + node));
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(node);
  }

  @Test
  void aFencedNodeThatRejoinsIsProbedAndNothingRunsTwice() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 8);
    sim.converge(50);
    String node = sim.where("vip").iterator().next();
    sim.loseNode(node);
    sim.converge(80);
    String moved = sim.where("vip").iterator().next();
    sim.rejoin(node);
    sim.converge(80);
    assertThat(sim.log).anyMatch(l -> l.startsWith(node + " PROBE:vip:" + node));
    assertThat(sim.where("vip")).containsExactly(moved);
  }

  @Test
  void aNodeThatRejoinsOnALogThatLagsNeverRunsAClaimOfAPlanThatWentOnWithoutIt() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 11);
    sim.converge(60);
    String node = sim.where("vip").iterator().next();
    sim.promptReports = 0.0; // from now on results reach the cluster a few rounds late
    sim.killResource("vip", node); // restarted in place: stop, then start on the same node
    String start = io.vigil.cluster.state.ActionId.format("START", "vip", node, 0);
    for (int i = 0; i < 60 && !(NodeWork.claimedBy(sim.state, node, start) && sim.where("vip").contains(node)); i++) sim.step();
    assertThat(NodeWork.claimedBy(sim.state, node, start)).as("the node claimed the start, its result still under way").isTrue();
    var lastSeen = sim.state;
    sim.cutOff(node); // power loss: the result never arrives
    sim.promptReports = 1.0;
    sim.converge(80);
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(node);
    // back, its daemon first reads its own log, which ends with its claim of the start open
    sim.rejoin(node, lastSeen);
    sim.converge(80);
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(node);
    assertThat(sim.log).anyMatch(l -> l.startsWith(node + " not running " + start));
  }

  @Test
  void failedMonitorRestartsTheResourceInPlace() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 3);
    sim.converge(50);
    String node = sim.where("web").iterator().next();
    sim.killResource("web", node);
    sim.converge(50);
    assertThat(sim.where("web")).containsExactly(node);
    assertThat(sim.state.status().failCounts()).containsKey("web/" + node);
  }

  @Test
  void failedStartMovesTheGroupAway() {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, 4);
    sim.converge(50);
    String node = sim.where("vip").iterator().next();
    sim.failNextStart("vip", node);
    sim.killResource("vip", node);
    sim.converge(80);
    assertThat(sim.where("vip")).hasSize(1).doesNotContain(node);
  }

  @Property(tries = 40)
  void randomFaultsNeverRunAResourceTwiceAndAlwaysConverge(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    CoordinatorSimulation sim = new CoordinatorSimulation(TWO_GROUP, seed);
    java.util.Random rnd = new java.util.Random(seed);
    sim.converge(60);
    for (int fault = 0; fault < 3; fault++) {
      String node = sim.where("vip").isEmpty() ? "n1" : sim.where("vip").iterator().next();
      switch (rnd.nextInt(3)) {
        case 0 -> sim.killResource("web", node);
        case 1 -> {
          if (sim.state.status().nodes().values().stream().filter(n -> n.state() == io.vigil.cluster.state.NodeState.ONLINE).count() > 1) {
            sim.loseNode(node);
          }
        }
        default -> sim.failNextStart("vip", node);
      }
      sim.converge(80);
      assertThat(sim.invariantViolations()).isEmpty();
    }
  }

  /**
   * The seeded whole-cluster simulation with faults in the middle of transitions: power losses
   * and partitions (one node out at a time, so a majority always remains), results that reach the
   * cluster late or never, daemon restarts, failing resources and starts, with fencing on or off.
   * After every step no single-instance resource runs twice; once every node is back and the
   * network is prompt again, the group runs exactly once, together.
   */
  @Property(tries = 60)
  void partitionsDelaysAndRestartsMidTransitionNeverRunAResourceTwiceAndHealedClustersConverge(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    boolean fencing = rnd.nextBoolean();
    CoordinatorSimulation sim = new CoordinatorSimulation(
        fencing ? TWO_GROUP : TWO_GROUP.replace("fencing-enabled: true", "fencing-enabled: false"), seed);
    sim.converge(60);
    sim.promptReports = 0.6;
    java.util.List<String> nodes = java.util.List.of("n1", "n2", "n3");
    for (int fault = 0; fault < 6; fault++) {
      String where = sim.where("vip").isEmpty() ? nodes.get(rnd.nextInt(3)) : sim.where("vip").iterator().next();
      String any = nodes.get(rnd.nextInt(3));
      switch (rnd.nextInt(6)) {
        case 0 -> sim.killResource("web", where);
        case 1 -> sim.failNextStart("vip", nodes.get(rnd.nextInt(3)));
        case 2 -> sim.restartDaemon(any);
        case 3, 4 -> {
          if (sim.outSince.isEmpty() && sim.connected().size() == 3) {
            sim.cutOff(rnd.nextBoolean() ? where : any);
          }
        }
        default -> sim.outSince.keySet().stream().findFirst().ifPresent(sim::rejoin);
      }
      int steps = 1 + rnd.nextInt(60); // the next fault may hit the middle of the recovery
      for (int i = 0; i < steps; i++) {
        sim.step();
        assertThat(sim.invariantViolations()).as("seed %d, %s", seed, String.join("\n", sim.log)).isEmpty();
      }
    }
    java.util.List.copyOf(sim.outSince.keySet()).forEach(sim::rejoin);
    for (String n : nodes) if (!sim.connected().contains(n)) sim.rejoin(n);
    sim.promptReports = 1.0;
    sim.converge(300);
    // failed starts on every node ban the group everywhere (start-failure-is-fatal), as in
    // Pacemaker: the operator's cleanup is what brings it back then
    for (String r : java.util.List.of("vip", "web")) {
      sim.apply(new io.vigil.cluster.state.Command.ClearFailures(r, "", "root", sim.millis()));
    }
    sim.converge(300);
    assertThat(sim.where("vip")).as("seed %d", seed).hasSize(1);
    assertThat(sim.where("web")).as("seed %d", seed).isEqualTo(sim.where("vip"));
  }

  private static int indexOf(CoordinatorSimulation sim, String text) {
    for (int i = 0; i < sim.log.size(); i++) if (sim.log.get(i).contains(text)) return i;
    return -1;
  }

  private static int lastIndexOf(CoordinatorSimulation sim, String text) {
    for (int i = sim.log.size() - 1; i >= 0; i--) if (sim.log.get(i).contains(text)) return i;
    return -1;
  }
}
