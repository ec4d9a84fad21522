package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.OpResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's requests against the real state machine behind an in-memory Raft: what each
 * commits, and that a bad request (unknown name, stale epoch, no quorum, missing --yes) changes
 * nothing. The same requests through real daemons are in {@code OperatorCommandsTest}.
 */
class OperatorRequestsTest {
  static final String YAML = """
      cluster: t
      properties: {fencing-enabled: false}
      nodes: [{name: a}, {name: b}, {name: c}]
      resources:
        - primitive: svc
          agent: builtin:dummy
        - group: site
          members: [{primitive: ip, agent: builtin:dummy}, {primitive: web, agent: builtin:dummy}]
      """;
  private final ObjectMapper json = new ObjectMapper();
  private final LivenessDriverTest.FakeRaft raft = new LivenessDriverTest.FakeRaft();
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T20:00:00Z"), ZoneOffset.UTC);
  private final Committer commit = new Committer(raft, clock, "a");
  private final ResourceRequests resources = new ResourceRequests(commit, () -> true);
  private final FencingRequests fencing = new FencingRequests(commit);

  @BeforeEach
  void configured() {
    raft.submit(new Command.ApplyConfig(0, YAML, "first", "root", 1));
    for (String n : new String[] {"a", "b", "c"}) raft.submit(new Command.SetNodeState(n, NodeState.ONLINE, "up", "node:a", 2));
  }

  private ObjectNode req(String op, Object... kv) {
    ObjectNode n = json.createObjectNode().put("op", op);
    for (int i = 0; i < kv.length; i += 2) n.set((String) kv[i], json.valueToTree(kv[i + 1]));
    return n;
  }

  private JsonNode call(ObjectNode req) throws Exception {
    String op = req.path("op").asText();
    return ResourceRequests.OPS.contains(op) ? resources.handle(op, req, "root@a") : fencing.handle(op, req, "root@a");
  }

  /** Runs a request that must be refused and checks that the replicated state did not change. */
  private String refused(ObjectNode req) throws Exception {
    ClusterState before = raft.state;
    JsonNode r = call(req);
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isFalse();
    assertThat(raft.state).isSameAs(before);
    return r.path("error").asText();
  }

  @Test
  void stopAndStartWriteTargetRoleAtTheReadEpoch() throws Exception {
    JsonNode r = call(req("resource-stop", "resource", "web"));
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
    assertThat(raft.state.epoch()).isEqualTo(2);
    assertThat(raft.state.config().yaml()).contains("target-role: Stopped");
    assertThat(raft.state.config().author()).isEqualTo("root@a");
    assertThat(refused(req("resource-stop", "resource", "web"))).contains("already has target-role Stopped");
    assertThat(call(req("resource-start", "resource", "web")).path("ok").asBoolean()).isTrue();
    assertThat(raft.state.config().yaml()).contains("target-role: Started");
  }

  @Test
  void badResourceRequestsChangeNothingAndSayWhy() throws Exception {
    assertThat(refused(req("resource-stop", "resource", "svx"))).startsWith("unknown resource 'svx' (did you mean 'svc'?)")
        .endsWith("nothing was changed");
    assertThat(refused(req("resource-stop", "resource", "svc", "expectedEpoch", 0)))
        .startsWith("configuration changed meanwhile: expected epoch 0, current epoch is 1");
    assertThat(refused(req("resource-cleanup", "resource", "svc", "node", "zz"))).startsWith("unknown node 'zz'");
    assertThat(refused(req("resource-cleanup", "resource", "nope"))).startsWith("unknown resource 'nope'");
    assertThat(refused(req("resource-move", "resource", "svc", "node", "b", "lifetimeSeconds", 0))).contains("lifetime 0s is out of range");
    assertThat(refused(req("resource-move", "resource", "svc", "node", "q"))).startsWith("unknown node 'q'");
    assertThat(refused(req("resource-restart", "resource", "nope"))).startsWith("unknown resource 'nope'");
    assertThat(refused(req("cluster-maintenance", "on", false))).startsWith("maintenance-mode is already off");
    assertThat(refused(req("resource-start"))).startsWith("resource-start needs 'resource'");
  }

  @Test
  void withoutQuorumNothingIsReadOrChanged() throws Exception {
    Committer c = new Committer(new io.vigil.cluster.raft.RaftAccess() {
      public java.util.concurrent.CompletableFuture<io.vigil.cluster.state.Result> submit(Command x) {
        return java.util.concurrent.CompletableFuture.failedFuture(new IOException("no leader"));
      }

      public ClusterState localState() {
        return raft.state;
      }

      public ClusterState readState() throws IOException {
        throw new IOException("read timed out");
      }

      public io.vigil.cluster.raft.GroupInfo info() {
        return raft.info();
      }
    }, clock, "a");
    ClusterState before = raft.state;
    for (ObjectNode q : new ObjectNode[] {req("resource-stop", "resource", "svc"), req("cluster-maintenance", "on", true)}) {
      try {
        new ResourceRequests(c, () -> false).handle(q.path("op").asText(), q, "root");
        throw new AssertionError("expected a refusal");
      } catch (IOException e) {
        assertThat(e.getMessage()).contains("no leader with a quorum could be reached from a").contains("nothing was changed");
      }
    }
    assertThat(raft.state).isSameAs(before);
  }

  @Test
  void cleanupForgetsTheGroupsPrimitivesOnTheNamedNode() throws Exception {
    raft.submit(new Command.RecordOperation(new OpResult("web", "b", "monitor", 10_000, 7, 5, 1, 1, true, ""), "node:b", 3));
    raft.submit(new Command.RecordOperation(new OpResult("svc", "b", "monitor", 10_000, 7, 6, 1, 1, true, ""), "node:b", 3));
    JsonNode r = call(req("resource-cleanup", "resource", "site", "node", "b"));
    assertThat(r.path("message").asText()).startsWith("cleaned up site on b");
    assertThat(raft.state.status().failCounts()).containsOnlyKeys("svc/b");
    assertThat(raft.state.status().operations()).containsOnlyKeys("svc/b/monitor/10000");
  }

  @Test
  void moveWithLifetimeAndMaintenanceModeAreConfigurationEdits() throws Exception {
    assertThat(call(req("resource-move", "resource", "site", "node", "b", "lifetimeSeconds", 3600)).path("message").asText())
        .startsWith("move site b until 2026-11-25T21:00:00Z");
    assertThat(raft.state.config().yaml()).contains("date: lt").contains("end: 2026-11-25T21:00:00Z");
    assertThat(call(req("cluster-maintenance", "on", true)).path("ok").asBoolean()).isTrue();
    assertThat(raft.state.config().yaml()).contains("maintenance-mode: true");
  }

  @Test
  void fencingPauseNeedsAReasonAndAKnownNodeAndResumeEndsIt() throws Exception {
    assertThat(refused(req("fencing-pause", "forSeconds", 1800))).contains("needs a reason");
    assertThat(refused(req("fencing-pause", "forSeconds", 8 * 86_400, "reason", "x"))).contains("out of range");
    assertThat(refused(req("fencing-pause", "forSeconds", 60, "reason", "x", "node", "bb"))).startsWith("unknown node 'bb'");
    assertThat(refused(req("fencing-resume"))).startsWith("no fencing pause is active");
    JsonNode p = call(req("fencing-pause", "forSeconds", 1800, "reason", "kernel upgrade", "node", "b"));
    assertThat(p.path("ok").asBoolean()).as(p.toString()).isTrue();
    assertThat(raft.state.activePauses(clock.millis())).singleElement().satisfies(x -> {
      assertThat(x.node()).isEqualTo("b");
      assertThat(x.untilMillis()).isEqualTo(clock.millis() + 1_800_000);
      assertThat(x.author()).isEqualTo("root@a");
    });
    assertThat(refused(req("fencing-resume", "id", "nope"))).startsWith("no active fencing pause 'nope'");
    assertThat(call(req("fencing-resume", "id", p.path("id").asText())).path("ok").asBoolean()).isTrue();
    assertThat(raft.state.activePauses(clock.millis())).isEmpty();
  }

  @Test
  void fenceConfirmNeedsYesAndALostNodeAndRecordsTheOperator() throws Exception {
    assertThat(refused(req("fence-confirm", "node", "b"))).contains("needs 'yes'");
    assertThat(refused(req("fence-confirm", "node", "b", "yes", true))).contains("is online, not lost");
    assertThat(refused(req("fence-confirm", "node", "x", "yes", true))).startsWith("unknown node 'x'");
    raft.submit(new Command.SetNodeState("b", NodeState.LOST, "not heard", "node:a", 5));
    JsonNode r = call(req("fence-confirm", "node", "b", "yes", true, "reason", "pulled the plug"));
    assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
    assertThat(raft.state.status().nodes().get("b").state()).isEqualTo(NodeState.FENCED);
    var e = raft.state.history().events().getLast();
    assertThat(e.author()).isEqualTo("root@a");
    assertThat(e.text()).contains("confirm of b via operator succeeded").contains("pulled the plug");
    assertThat(refused(req("fence-confirm", "node", "b", "yes", true))).contains("already fenced");
  }
}
