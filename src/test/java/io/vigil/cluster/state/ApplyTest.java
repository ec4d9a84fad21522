package io.vigil.cluster.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyTest {
  private final ClusterState empty = ClusterState.initial("c");

  private static Apply.Outcome run(ClusterState s, Command c) {
    return Apply.apply(s, c);
  }

  @Test
  void staleEpochApplyIsRejectedAndChangesNothing() {
    ClusterState s1 = run(empty, new Command.ApplyConfig(0, "cluster: c\n", "first", "root", 10)).state();
    assertThat(s1.epoch()).isEqualTo(1);
    assertThat(s1.config().author()).isEqualTo("root");
    assertThat(s1.config().timeMillis()).isEqualTo(10);
    Apply.Outcome stale = run(s1, new Command.ApplyConfig(0, "cluster: d\n", "late", "bob", 20));
    assertThat(stale.result().accepted()).isFalse();
    assertThat(stale.result().message()).contains("expected epoch 0, current epoch is 1");
    assertThat(stale.state()).isSameAs(s1);
  }

  @Test
  void configChangesAreRecordedInHistoryWithAuthorAndReason() {
    ClusterState s = run(empty, new Command.ApplyConfig(0, "cluster: c\n", "add db", "alice", 10)).state();
    Event e = s.history().events().getLast();
    assertThat(e.kind()).isEqualTo(Event.Kind.CONFIG);
    assertThat(e.author()).isEqualTo("alice");
    assertThat(e.text()).contains("epoch 1").contains("add db");
  }

  @Test
  void failedOperationRaisesFailCountAndRecordsFailure() {
    OpResult bad = new OpResult("db", "alpha", "monitor", 10_000, 7, 3, 100, 12, true, "not running");
    ClusterState s = run(empty, new Command.RecordOperation(bad, "node:alpha", 100)).state();
    s = run(s, new Command.RecordOperation(new OpResult("db", "alpha", "monitor", 10_000, 7, 4, 200, 12, true, ""), "node:alpha", 200)).state();
    assertThat(s.status().failCounts().get("db/alpha").count()).isEqualTo(2);
    assertThat(s.status().operations().get("db/alpha/monitor/10000").callId()).isEqualTo(4);
    assertThat(s.history().events()).filteredOn(e -> e.kind() == Event.Kind.FAILURE).hasSize(2);
    s = run(s, new Command.ClearFailures("db", "", "root", 300)).state();
    assertThat(s.status().failCounts()).isEmpty();
  }

  @Test
  void cleanupForgetsFailuresAndOperationsOfTheResourceOnThatNodeOnly() {
    ClusterState s = empty;
    long call = 1;
    for (String node : java.util.List.of("alpha", "beta")) {
      for (String rsc : java.util.List.of("db", "web:0", "webby")) {
        s = run(s, new Command.RecordOperation(new OpResult(rsc, node, "monitor", 10_000, 7, call++, 1, 1, true, ""), "n", 1)).state();
      }
    }
    Apply.Outcome o = run(s, new Command.CleanupResource(java.util.List.of("db", "web"), "alpha", "root@a", 50));
    assertThat(o.result().accepted()).isTrue();
    ClusterState c = o.state();
    assertThat(c.status().operations().keySet()).containsExactlyInAnyOrder(
        "webby/alpha/monitor/10000", "db/beta/monitor/10000", "web:0/beta/monitor/10000", "webby/beta/monitor/10000");
    assertThat(c.status().failCounts().keySet()).containsExactlyInAnyOrder("webby/alpha", "db/beta", "web:0/beta", "webby/beta");
    assertThat(c.history().events().getLast().text()).contains("cleanup of db, web").contains("re-probing");
    assertThat(c.history().events().getLast().author()).isEqualTo("root@a");
    ClusterState everywhere = run(s, new Command.CleanupResource(java.util.List.of("db"), "", "root", 60)).state();
    assertThat(everywhere.status().operations().keySet()).noneMatch(k -> k.startsWith("db/"));
    Apply.Outcome none = run(s, new Command.CleanupResource(java.util.List.of(), "", "root", 60));
    assertThat(none.result().accepted()).isFalse();
    assertThat(none.state()).isSameAs(s);
  }

  @Test
  void olderCallResultDoesNotOverwriteNewerOne() {
    ClusterState s = run(empty, new Command.RecordOperation(new OpResult("db", "a", "start", 0, 0, 9, 1, 1, false, ""), "n", 1)).state();
    Apply.Outcome o = run(s, new Command.RecordOperation(new OpResult("db", "a", "start", 0, 1, 8, 1, 1, true, ""), "n", 2));
    assertThat(o.result().accepted()).isFalse();
    assertThat(o.state()).isSameAs(s);
  }

  @Test
  void joinTokenWorksOnceAndNotAfterExpiry() {
    ClusterState s = run(empty, new Command.AddJoinToken(new JoinToken("k", "hash", 1000, "root"), "root", 0)).state();
    assertThat(run(s, new Command.UseJoinToken("k", "other", "n", "x", 10)).result().accepted()).isFalse();
    assertThat(run(s, new Command.UseJoinToken("k", "hash", "n", "x", 1000)).result().message()).contains("expired");
    Apply.Outcome used = run(s, new Command.UseJoinToken("k", "hash", "n", "x", 10));
    assertThat(used.result().accepted()).isTrue();
    assertThat(run(used.state(), new Command.UseJoinToken("k", "hash", "n", "x", 11)).result().accepted()).isFalse();
  }

  @Test
  void nodeStateTableRejectsIllegalMoves() {
    ClusterState s = run(empty, new Command.SetNodeState("a", NodeState.LOST, "timeout", "node:b", 1)).state();
    Apply.Outcome o = run(s, new Command.SetNodeState("a", NodeState.STANDBY, "", "root", 2));
    assertThat(o.result().accepted()).isFalse();
    assertThat(o.result().message()).contains("cannot move from LOST to STANDBY");
    s = run(s, new Command.RecordFencing("a", "ipmi", "reboot", true, 300, "lost", "node:b", 3)).state();
    assertThat(s.status().nodes().get("a").state()).isEqualTo(NodeState.FENCED);
    assertThat(s.status().nodes().get("a").sinceMillis()).isEqualTo(3);
  }

  @Test
  void fencingPauseCoversOnlyItsNodeAndEndsByItself() {
    ClusterState s = run(empty, new Command.PauseFencing("p", "beta", 1000, "upgrade", "root", 0)).state();
    FencingPause p = s.fencingPauses().getFirst();
    assertThat(p.covers("beta", 999)).isTrue();
    assertThat(p.covers("alpha", 999)).isFalse();
    assertThat(p.covers("beta", 1000)).isFalse();
    assertThat(s.activePauses(1000)).isEmpty();
  }

  @Test
  void transitionForAnotherEpochIsRejectedAndProgressOnlyForKnownActions() {
    Transition t = new Transition("t1", 0, "{\"opaque\":true}", 5,
        Map.of("a1", new Transition.ActionProgress("a1", Transition.ActionProgress.Phase.PENDING, -1, 5, "alpha")));
    ClusterState s = run(empty, new Command.StartTransition(t, "node:alpha", 5)).state();
    assertThat(s.status().transition()).isEqualTo(t);
    var done = new Transition.ActionProgress("a1", Transition.ActionProgress.Phase.DONE, 0, 6, "alpha");
    s = run(s, new Command.ReportProgress("t1", done, "node:alpha", 6)).state();
    assertThat(s.status().transition().progress().get("a1").phase()).isEqualTo(Transition.ActionProgress.Phase.DONE);
    var unknown = new Transition.ActionProgress("zz", Transition.ActionProgress.Phase.DONE, 0, 6, "alpha");
    assertThat(run(s, new Command.ReportProgress("t1", unknown, "n", 7)).result().accepted()).isFalse();
    ClusterState s2 = run(s, new Command.ApplyConfig(0, "cluster: c\n", "", "root", 8)).state();
    assertThat(run(s2, new Command.StartTransition(t, "node:alpha", 9)).result().message()).contains("computed for epoch 0");
  }

  @Test
  void aClaimedStartIsPendingUntilItsResultReplacesItAndAnActionThatNeverRanLeavesNothingPending() {
    String start = ActionId.format("START", "web:1", "beta", 0);
    String stop = ActionId.format("STOP", "db", "beta", 0);
    String probe = ActionId.format("PROBE", "db", "alpha", 0);
    Map<String, Transition.ActionProgress> pending = new java.util.HashMap<>();
    for (String id : List.of(start, stop, probe)) {
      pending.put(id, new Transition.ActionProgress(id, Transition.ActionProgress.Phase.PENDING, 0, 5, "beta"));
    }
    ClusterState s = run(empty, new Command.StartTransition(new Transition("t1", 0, "{}", 5, pending), "alpha", 5)).state();
    for (String id : List.of(start, stop, probe)) {
      s = run(s, new Command.ReportProgress("t1", new Transition.ActionProgress(id, Transition.ActionProgress.Phase.RUNNING, 0, 6,
          id.equals(probe) ? "alpha" : "beta"), "beta", 6)).state();
    }
    OpResult claimed = s.status().operations().get("web:1/beta/start/0");
    assertThat(claimed.pending()).isTrue();
    assertThat(s.status().operations().get("db/beta/stop/0").pending()).isTrue();
    assertThat(s.status().operations()).as("a probe changes nothing while it runs").doesNotContainKey("db/alpha/monitor/0");
    // the result replaces the placeholder; the end of the action leaves it alone
    s = run(s, new Command.RecordOperation(new OpResult("web:1", "beta", "start", 0, 0, 42, 6, 3, false, ""), "beta", 7)).state();
    s = run(s, new Command.ReportProgress("t1", new Transition.ActionProgress(start, Transition.ActionProgress.Phase.DONE, 0, 7, "beta"),
        "beta", 7)).state();
    assertThat(s.status().operations().get("web:1/beta/start/0").callId()).isEqualTo(42);
    // a stop that could not be run at all ends FAILED without a result: nothing stays pending
    s = run(s, new Command.ReportProgress("t1", new Transition.ActionProgress(stop, Transition.ActionProgress.Phase.FAILED, 1, 8, "beta"),
        "beta", 8)).state();
    assertThat(s.status().operations()).doesNotContainKey("db/beta/stop/0");
  }

  @Test
  void aRejoiningNodeLosesItsPromotionScoresWithItsHistoryButKeepsItsOtherAttributes() {
    ClusterState s = run(empty, new Command.SetNodeState("alpha", NodeState.ONLINE, "joined", "alpha", 1)).state();
    s = run(s, new Command.SetNodeAttribute("alpha", "master-db", "10", "alpha", 2)).state();
    s = run(s, new Command.SetNodeAttribute("alpha", "rack", "r1", "root", 3)).state();
    s = run(s, new Command.SetNodeState("alpha", NodeState.LOST, "not heard from", "beta", 4)).state();
    assertThat(s.status().nodes().get("alpha").attributes()).containsEntry("master-db", "10");
    s = run(s, new Command.SetNodeState("alpha", NodeState.ONLINE, "rejoined", "beta", 5)).state();
    assertThat(s.status().nodes().get("alpha").attributes()).doesNotContainKey("master-db").containsEntry("rack", "r1");
  }

  @Test
  void actionIdsAreReadFromBothEndsSoInstanceIdsMayHoldColons() {
    assertThat(ActionId.parse("START:web:1:beta:0")).contains(new ActionId("START", "web:1", "beta", 0));
    assertThat(ActionId.parse("MONITOR:db:alpha:10000").orElseThrow().operation()).isEqualTo("monitor");
    for (String bad : List.of("", "START", "START:db:alpha", "START::alpha:0", "START:db:alpha:x", "START:db:alpha:", ":db:alpha:0")) {
      assertThat(ActionId.parse(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void aPlanBatchedWithANodesLostMarkIsRecordedOnlyIfTheMarkIs() {
    var fence = new Transition.ActionProgress("FENCE:beta::0", Transition.ActionProgress.Phase.RUNNING, 0, 5, "alpha");
    Transition t = new Transition("t1", 0, "{}", 5, Map.of(fence.actionId(), fence));
    ClusterState online = run(empty, new Command.SetNodeState("beta", NodeState.ONLINE, "joined", "leader", 1)).state();
    var lost = new Command.SetNodeState("beta", NodeState.LOST, "not heard for 500 ms", "node:alpha", 5);
    var both = run(online, new Command.Batch(List.of(lost, new Command.StartTransition(t, "node:alpha", 5)), "node:alpha", 5));
    assertThat(both.result().accepted()).isTrue();
    assertThat(both.state().status().nodes().get("beta").state()).isEqualTo(NodeState.LOST);
    assertThat(both.state().status().transition().id()).isEqualTo("t1");
    // the mark refused (a fenced node cannot be lost): the plan made for it is not recorded either
    ClusterState fenced = run(online, new Command.SetNodeState("beta", NodeState.FENCED, "fenced", "leader", 2)).state();
    var refused = run(fenced, new Command.Batch(List.of(lost, new Command.StartTransition(t, "node:alpha", 5)), "node:alpha", 5));
    assertThat(refused.result().accepted()).isFalse();
    assertThat(refused.result().message()).contains("cannot move from FENCED to LOST").contains("transition t1 not recorded");
    assertThat(refused.state().status().transition()).isNull();
  }

  @Test
  void aBatchAppliesEachCommandInOrderAndReportsTheFirstRefusal() {
    var pending = new Transition.ActionProgress("a1", Transition.ActionProgress.Phase.PENDING, -1, 5, "beta");
    ClusterState s = run(empty, new Command.StartTransition(new Transition("t1", 0, "{}", 5, Map.of("a1", pending)), "node:alpha", 5)).state();
    var done = new Transition.ActionProgress("a1", Transition.ActionProgress.Phase.DONE, 0, 6, "beta");
    OpResult op = new OpResult("web", "beta", "start", 0, 0, 1, 6, 12, false, "");
    var both = run(s, new Command.Batch(List.of(new Command.RecordOperation(op, "beta", 6),
        new Command.ReportProgress("t1", done, "beta", 6)), "beta", 6));
    assertThat(both.result().accepted()).isTrue();
    assertThat(both.state().status().transition().progress().get("a1").phase()).isEqualTo(Transition.ActionProgress.Phase.DONE);
    assertThat(both.state().history().events()).anyMatch(e -> e.text().equals("start rc 0"));
    // one refused part does not undo the other, and the answer names it
    var unknown = new Transition.ActionProgress("zz", Transition.ActionProgress.Phase.DONE, 0, 7, "beta");
    OpResult op2 = new OpResult("web", "beta", "monitor", 0, 0, 2, 7, 3, false, "");
    var half = run(s, new Command.Batch(List.of(new Command.ReportProgress("t1", unknown, "beta", 7),
        new Command.RecordOperation(op2, "beta", 7)), "beta", 7));
    assertThat(half.result().accepted()).isTrue();
    assertThat(half.result().message()).contains("refused: transition t1 has no action 'zz'");
    assertThat(half.state().history().events()).anyMatch(e -> e.text().equals("monitor rc 0"));
    // all refused: refused, and nothing changed
    var none = run(s, new Command.Batch(List.of(new Command.ReportProgress("t9", done, "beta", 8),
        new Command.ReportProgress("t1", unknown, "beta", 8)), "beta", 8));
    assertThat(none.result().accepted()).isFalse();
    assertThat(none.state()).isSameAs(s);
    assertThatThrownBy(() -> new Command.Batch(List.of(), "beta", 1)).hasMessageContaining("at least one");
    assertThatThrownBy(() -> new Command.Batch(List.of(new Command.Batch(List.of(new Command.RecordOperation(op, "b", 1)), "b", 1)), "b", 1))
        .hasMessageContaining("do not nest");
    assertThatThrownBy(() -> new Command.Batch(List.of(new Command.ApplyConfig(0, "cluster: c\n", "", "root", 1)), "b", 1))
        .hasMessageContaining("only reports and plans, not ApplyConfig");
  }

  @Test
  void anActionIsClaimedOnceAndANewPlanWaitsForRunningClaims() {
    var pending = new Transition.ActionProgress("a1", Transition.ActionProgress.Phase.PENDING, -1, 5, "beta");
    Transition t1 = new Transition("t1", 0, "{}", 5, Map.of("a1", pending));
    ClusterState s = run(empty, new Command.StartTransition(t1, "node:alpha", 5)).state();
    var claimBeta = new Transition.ActionProgress("a1", Transition.ActionProgress.Phase.RUNNING, 0, 6, "beta");
    var claimGamma = new Transition.ActionProgress("a1", Transition.ActionProgress.Phase.RUNNING, 0, 6, "gamma");
    s = run(s, new Command.ReportProgress("t1", claimBeta, "beta", 6)).state();
    // another node cannot claim it again; the claimer can (its daemon restarted and runs it again)
    assertThat(run(s, new Command.ReportProgress("t1", claimGamma, "gamma", 7)).result().message()).contains("runs once");
    assertThat(run(s, new Command.ReportProgress("t1", claimBeta, "beta", 7)).result().accepted()).isTrue();
    // the leader's next plan, decided before it saw the claim, loses the race
    Transition t2 = new Transition("t2", 0, "{}", 8, Map.of("a1", pending));
    assertThat(run(s, new Command.StartTransition(t2, "node:alpha", 8)).result().message()).contains("still has action(s) running [a1]");
    // unless the claimer is lost: it will never report
    ClusterState lost = run(run(s, new Command.SetNodeState("beta", NodeState.ONLINE, "", "node:alpha", 8)).state(),
        new Command.SetNodeState("beta", NodeState.LOST, "silent", "node:alpha", 9)).state();
    assertThat(run(lost, new Command.StartTransition(t2, "node:alpha", 10)).result().accepted()).isTrue();
    // and a claim under a replaced plan is refused
    ClusterState replaced = run(lost, new Command.StartTransition(t2, "node:alpha", 10)).state();
    assertThat(run(replaced, new Command.ReportProgress("t1", claimGamma, "gamma", 11)).result().message()).contains("not current");
  }

  @Test
  void malformedCommandsAreRefusedWithAReason() {
    for (String bad : new String[] {"", "{", "[]", "{\"v\":2,\"command\":{}}", "{\"v\":1}",
        "{\"v\":1,\"command\":{\"type\":\"nope\"}}", "{\"v\":1,\"command\":{\"type\":\"apply-config\"}}",
        "{\"v\":1,\"command\":{\"type\":\"set-node-state\",\"node\":\"a\",\"state\":\"WEIRD\",\"timeMillis\":1}}"}) {
      Codec.Decoded<Command> d = Codec.decodeCommand(bad.getBytes(StandardCharsets.UTF_8));
      assertThat(d.ok()).as(bad).isFalse();
      assertThat(d.error()).as(bad).isNotBlank();
    }
  }

  @Test
  void aNodeThatRejoinsAfterBeingLostForgetsItsHistorySoItIsProbedAgain() {
    ClusterState s = run(empty, new Command.SetNodeState("n1", NodeState.ONLINE, "joined", "t", 1)).state();
    s = run(s, new Command.SetNodeState("n2", NodeState.ONLINE, "joined", "t", 1)).state();
    s = run(s, new Command.RecordOperation(new OpResult("web", "n1", "start", 0, 0, 1, 2, 1, false, ""), "n1", 2)).state();
    s = run(s, new Command.RecordOperation(new OpResult("db", "n2", "start", 0, 0, 1, 2, 1, false, ""), "n2", 2)).state();
    s = run(s, new Command.SetNodeState("n1", NodeState.LOST, "silent", "t", 3)).state();
    assertThat(s.status().operations()).containsKey("web/n1/start/0");
    s = run(s, new Command.SetNodeState("n1", NodeState.ONLINE, "back", "t", 4)).state();
    assertThat(s.status().operations()).doesNotContainKey("web/n1/start/0").containsKey("db/n2/start/0");
  }

  @Test
  void aLostNodeHeardAgainOrFencedOtherwiseIsNotFencedByThePlanMadeWhileItWasLost() {
    String fence = ActionId.format("FENCE", "n1", "n1", 0);
    String fenceOther = ActionId.format("FENCE", "n3", "n3", 0);
    var pending = new Transition.ActionProgress(fence, Transition.ActionProgress.Phase.PENDING, -1, 1, "");
    var other = new Transition.ActionProgress(fenceOther, Transition.ActionProgress.Phase.PENDING, -1, 1, "");
    ClusterState s = run(empty, new Command.SetNodeState("n1", NodeState.ONLINE, "joined", "t", 1)).state();
    s = run(s, new Command.SetNodeState("n1", NodeState.LOST, "silent", "node:n2", 2)).state();
    s = run(s, new Command.StartTransition(new Transition("t1", 0, "{}", 2, Map.of(fence, pending, fenceOther, other)), "node:n2", 2)).state();
    s = run(s, new Command.SetNodeState("n1", NodeState.ONLINE, "heard again", "node:n2", 3)).state();
    assertThat(s.status().transition().progress().get(fence).phase()).isEqualTo(Transition.ActionProgress.Phase.CANCELLED);
    assertThat(s.status().transition().progress().get(fenceOther).phase()).as("another node's fencing stays")
        .isEqualTo(Transition.ActionProgress.Phase.PENDING);
    // fenced by other means (an operator's confirmation): that fencing is done, what waited for it goes on
    s = run(s, new Command.SetNodeState("n3", NodeState.ONLINE, "joined", "t", 4)).state();
    s = run(s, new Command.SetNodeState("n3", NodeState.LOST, "silent", "node:n2", 5)).state();
    s = run(s, new Command.RecordFencing("n3", "operator", "confirm", true, 0, "operator confirmed", "root", 6)).state();
    assertThat(s.status().transition().progress().get(fenceOther).phase()).isEqualTo(Transition.ActionProgress.Phase.DONE);
  }

  @Test
  void aLostOrFencedNodeCanNeitherRecordResultsNorClaimActionsUntilItRejoins() {
    String start = ActionId.format("START", "web", "n1", 0);
    var pending = new Transition.ActionProgress(start, Transition.ActionProgress.Phase.PENDING, -1, 1, "n1");
    ClusterState s = run(empty, new Command.SetNodeState("n1", NodeState.ONLINE, "joined", "t", 1)).state();
    s = run(s, new Command.StartTransition(new Transition("t1", 0, "{}", 1, Map.of(start, pending)), "node:n2", 1)).state();
    var claim = new Transition.ActionProgress(start, Transition.ActionProgress.Phase.RUNNING, 0, 2, "n1");
    s = run(s, new Command.ReportProgress("t1", claim, "n1", 2)).state();
    var failedMonitor = new Command.RecordOperation(new OpResult("web", "n1", "monitor", 10_000, 7, 5, 3, 1, true, ""), "n1", 3);
    for (NodeState away : List.of(NodeState.LOST, NodeState.FENCED)) {
      ClusterState gone = run(s, new Command.SetNodeState("n1", away, "silent", "node:n2", 3)).state();
      // a daemon that restarted on a stale log re-runs its claim, or a report under way arrives late
      Apply.Outcome late = run(gone, failedMonitor);
      assertThat(late.result().accepted()).as(away.name()).isFalse();
      assertThat(late.result().message()).contains("node n1 is " + away.name().toLowerCase(java.util.Locale.ROOT));
      assertThat(late.state()).isSameAs(gone);
      assertThat(run(gone, new Command.ReportProgress("t1", claim, "n1", 4)).result().message()).contains("not claimed: node n1 is");
      // back again: its history was forgotten, and what it reports counts again
      ClusterState back = run(gone, new Command.SetNodeState("n1", NodeState.ONLINE, "back", "node:n2", 5)).state();
      assertThat(run(back, failedMonitor).state().status().failCounts()).hasSize(1);
    }
  }

  @Test
  void aNodeLostInMaintenanceIsMarkedAndReturnsToMaintenanceWithItsHistory() {
    ClusterState s = run(empty, new Command.SetNodeState("n1", NodeState.ONLINE, "joined", "t", 1)).state();
    s = run(s, new Command.RecordOperation(new OpResult("web", "n1", "start", 0, 0, 1, 2, 1, false, ""), "n1", 2)).state();
    s = run(s, new Command.SetNodeState("n1", NodeState.MAINTENANCE, "upgrade", "root", 3)).state();
    s = run(s, new Command.SetNodeState("n1", NodeState.LOST, "silent", "node:n2", 4)).state();
    NodeStatus lost = s.status().nodes().get("n1");
    assertThat(lost.state()).isEqualTo(NodeState.LOST);
    assertThat(lost.lostInMaintenance()).isTrue();
    assertThat(lost.reason()).contains("in maintenance: not fenced");
    s = run(s, new Command.SetNodeState("n1", NodeState.ONLINE, "heard by leader", "node:n2", 5)).state();
    NodeStatus back = s.status().nodes().get("n1");
    assertThat(back.state()).isEqualTo(NodeState.MAINTENANCE);
    assertThat(back.attributes()).doesNotContainKey(NodeStatus.LOST_IN_MAINTENANCE);
    assertThat(s.status().operations()).as("what it runs is still known: it was never fenced").containsKey("web/n1/start/0");
  }

  @Test
  void anOperatorConfirmationOfANodeLostInMaintenanceFencesIt() {
    ClusterState s = run(empty, new Command.SetNodeState("n1", NodeState.MAINTENANCE, "upgrade", "root", 1)).state();
    s = run(s, new Command.SetNodeState("n1", NodeState.LOST, "silent", "node:n2", 2)).state();
    s = run(s, new Command.RecordFencing("n1", "operator", "confirm", true, 0, "powered off by hand", "root", 3)).state();
    assertThat(s.status().nodes().get("n1").state()).isEqualTo(NodeState.FENCED);
    assertThat(s.status().nodes().get("n1").attributes()).doesNotContainKey(NodeStatus.LOST_IN_MAINTENANCE);
  }

  @Test
  void deviceHealthIsKeptAndItsFlipsAreInHistory() {
    ClusterState s = run(empty, new Command.RecordDeviceHealth("pdu", false, 1, "connection refused", "a", "node:a", 10)).state();
    assertThat(s.status().devices().get("pdu").ok()).isFalse();
    assertThat(s.status().devices().get("pdu").sinceMillis()).isEqualTo(10);
    assertThat(s.history().events()).anyMatch(e -> e.text().contains("fence device pdu monitor FAILING: connection refused"));
    int events = s.history().events().size();
    s = run(s, new Command.RecordDeviceHealth("pdu", false, 2, "timeout", "b", "node:b", 20)).state();
    assertThat(s.status().devices().get("pdu").sinceMillis()).as("failing since the first failure").isEqualTo(10);
    assertThat(s.history().events()).hasSize(events);
    s = run(s, new Command.RecordDeviceHealth("pdu", true, 0, "ok", "b", "node:b", 30)).state();
    assertThat(s.status().devices().get("pdu").ok()).isTrue();
    assertThat(s.history().events()).anyMatch(e -> e.text().contains("fence device pdu monitor ok again"));
    byte[] bytes = Codec.encode(s);
    assertThat(Codec.decodeState(bytes).value()).isEqualTo(s);
  }
}
