package io.vigil.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.cluster.security.ClusterCa;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real Ratis servers in one JVM over loopback gRPC with mutual TLS. */
class RaftNodeTest {
  @TempDir Path dir;
  private final List<RaftNode> nodes = new ArrayList<>();
  private final ClusterCa ca = ClusterCa.create("t", Instant.now());

  @AfterEach
  void closeAll() throws Exception {
    for (RaftNode n : nodes) n.close();
  }

  private List<Peer> peers(String... names) {
    List<Peer> out = new ArrayList<>();
    for (String n : names) out.add(new Peer(n, "127.0.0.1:" + TestPki.freePort(), Member.Role.VOTER));
    return out;
  }

  private RaftNode start(Peer self, List<Peer> group) throws Exception {
    RaftNode n = new RaftNode("t", self, group, dir.resolve(self.name()), TestPki.node(ca, self.name()), VigilRaftConfig.DEFAULTS);
    n.start();
    nodes.add(n);
    return n;
  }

  @Test
  @org.junit.jupiter.api.Tag("slow")
  void committedConfigReachesEveryReplicaAndSurvivesRestartOfAll() throws Exception {
    List<Peer> group = peers("a", "b", "c");
    for (Peer p : group) start(p, group);
    RaftNode a = nodes.getFirst();
    Result r = a.submit(new Command.ApplyConfig(0, "cluster: t\n", "first", "root", 1)).get(20, TimeUnit.SECONDS);
    assertThat(r.accepted()).isTrue();
    Result stale = a.submit(new Command.ApplyConfig(0, "cluster: u\n", "late", "root", 2)).get(20, TimeUnit.SECONDS);
    assertThat(stale.accepted()).isFalse();
    assertThat(stale.message()).contains("expected epoch 0, current epoch is 1");
    await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(n -> n.localState().epoch() == 1));
    assertThat(a.readState().config().reason()).isEqualTo("first");
    nodes.get(1).takeSnapshot();
    assertThat(a.info().peers()).extracting(Peer::name).containsExactlyInAnyOrder("a", "b", "c");

    for (RaftNode n : nodes) n.close();
    nodes.clear();
    for (Peer p : group) start(p, group);
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().allMatch(n -> n.localState().epoch() == 1));
    assertThat(nodes.get(1).localState().config().yaml()).isEqualTo("cluster: t\n");
    Result next = nodes.get(2).submit(new Command.ApplyConfig(1, "cluster: t2\n", "", "root", 3)).get(20, TimeUnit.SECONDS);
    assertThat(next.accepted()).isTrue();
    assertThat(next.epoch()).isEqualTo(2);
  }

  @Test
  @org.junit.jupiter.api.Tag("slow")
  void listenerReplicatesButDoesNotCountForQuorum() throws Exception {
    // Two voters and a listener: if the listener counted, one voter plus the listener would be
    // 2 of 3 and could commit; as a listener, one voter of two is no majority.
    List<Peer> voters = peers("a", "b");
    for (Peer p : voters) start(p, voters);
    RaftNode a = nodes.getFirst();
    assertThat(a.submit(new Command.ApplyConfig(0, "cluster: t\n", "", "root", 1)).get(20, TimeUnit.SECONDS).accepted()).isTrue();
    Peer listener = new Peer("w", "127.0.0.1:" + TestPki.freePort(), Member.Role.LISTENER);
    List<Peer> all = new ArrayList<>(voters);
    all.add(listener);
    RaftNode w = start(listener, all);
    a.setConfiguration(all);
    await().atMost(Duration.ofSeconds(20)).until(() -> w.localState().epoch() == 1);
    assertThat(a.info().peers()).contains(listener);
    assertThat(w.info().role()).isEqualTo("LISTENER");
    RaftNode b = nodes.get(1);
    b.close();
    nodes.remove(b);
    var pending = a.submit(new Command.ApplyConfig(1, "cluster: t2\n", "", "root", 2));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> pending.get(3, TimeUnit.SECONDS))
        .isInstanceOfAny(java.util.concurrent.TimeoutException.class, java.util.concurrent.ExecutionException.class);
    assertThat(w.localState().epoch()).isEqualTo(1);
    assertThat(a.localState().epoch()).isEqualTo(1);
  }

  @Test
  void aMemberAnswersPingsOverMutualTlsAndAStoppedOneOrAStrangerDoesNot() throws Exception {
    List<Peer> group = peers("a", "b");
    for (Peer p : group) start(p, group);
    RaftNode a = nodes.getFirst();
    // A ping is a stale read outside the log: it is answered by a follower as well as by the
    // leader, before anything was ever committed.
    a.ping(group.get(1)).get(10, TimeUnit.SECONDS);
    nodes.get(1).ping(group.getFirst()).get(10, TimeUnit.SECONDS);
    // A server of another cluster (another group) answers with an error: no answer.
    Peer stranger = peers("b").getFirst();
    RaftNode other = new RaftNode("elsewhere", stranger, List.of(stranger), dir.resolve("other"), TestPki.node(ca, "b"),
        VigilRaftConfig.DEFAULTS);
    other.start();
    nodes.add(other);
    assertThat(a.ping(stranger)).failsWithin(Duration.ofSeconds(10));
    // A stopped member does not answer (the ping gives up after its timeout).
    nodes.get(1).close();
    nodes.remove(1);
    assertThat(a.ping(group.get(1))).failsWithin(RaftNode.PING_TIMEOUT.plusSeconds(10));
    // Once the membership no longer has them, their ping connections are closed.
    assertThat(a.pingConnections()).contains("b@" + group.get(1).address(), "b@" + stranger.address());
    a.keepPingingOnly(java.util.Set.of());
    assertThat(a.pingConnections()).isEmpty();
    assertThat(a.ping(group.get(1))).as("a later ping opens a fresh connection").failsWithin(RaftNode.PING_TIMEOUT.plusSeconds(10));
    assertThat(a.pingConnections()).containsExactly("b@" + group.get(1).address());
  }

  @Test
  void malformedLogEntryIsRejectedAndTheServerKeepsWorking() throws Exception {
    List<Peer> group = peers("a");
    RaftNode a = start(group.getFirst(), group);
    var field = RaftNode.class.getDeclaredField("client");
    field.setAccessible(true);
    var client = (org.apache.ratis.client.RaftClient) field.get(a);
    var reply = client.io().send(org.apache.ratis.protocol.Message.valueOf("{not json"));
    Result r = RaftCodec.decodeResult(reply.getMessage().getContent());
    assertThat(r.accepted()).isFalse();
    assertThat(r.message()).contains("malformed");
    assertThat(a.submit(new Command.ApplyConfig(0, "cluster: t\n", "", "root", 1)).get(20, TimeUnit.SECONDS).accepted()).isTrue();
  }
}
