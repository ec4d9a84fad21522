package io.vigil.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.cluster.security.ClusterCa;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.NodeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft side of the two-node takeover with two real Ratis servers in one JVM (mutual TLS on
 * loopback): a takeover moves the survivor to a one-voter group seeded with its state, which
 * survives a restart; the old group never starts again; the node left behind learns the new
 * generation from its peer, rejoins empty and receives the whole state from the leader.
 */
@Tag("slow")
class TwoNodeGenerationTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path dir;
  private final List<RaftNode> nodes = new ArrayList<>();
  private final ClusterCa ca = ClusterCa.create("t", Instant.now());
  private final Peer a = new Peer("a", "127.0.0.1:" + TestPki.freePort(), Member.Role.VOTER);
  private final Peer b = new Peer("b", "127.0.0.1:" + TestPki.freePort(), Member.Role.VOTER);

  @AfterEach
  void closeAll() throws Exception {
    for (RaftNode n : nodes) n.close();
  }

  private RaftNode start(Peer self) throws Exception {
    RaftNode n = new RaftNode("t", self, List.of(a, b), dir.resolve(self.name()), TestPki.node(ca, self.name()), VigilRaftConfig.DEFAULTS);
    n.start();
    nodes.add(n);
    return n;
  }

  private void stop(RaftNode n) throws Exception {
    n.close();
    nodes.remove(n);
  }

  @Test
  void takeoverSeedsAOneVoterGroupAndTheFencedNodeRejoinsWithTheWholeState() throws Exception {
    RaftNode na = start(a);
    RaftNode nb = start(b);
    assertThat(na.submit(new Command.ApplyConfig(0, "cluster: t\n", "first", "root", 1)).get(30, TimeUnit.SECONDS).accepted()).isTrue();
    await().atMost(WAIT).until(() -> nb.localState().epoch() == 1);
    Path oldGroup = dir.resolve("a").resolve(Generation.groupId("t", 0).getUuid().toString());
    assertThat(oldGroup).isDirectory();

    stop(nb); // power loss of b; without it a cannot commit anything
    Generation g = na.takeOver("b", "topology", 2);
    assertThat(g.number()).isEqualTo(1);
    assertThat(oldGroup).doesNotExist();
    assertThat(na.localState().epoch()).isEqualTo(1);
    assertThat(na.localState().status().nodes().get("b").state()).isEqualTo(NodeState.FENCED);
    assertThat(na.submit(new Command.ApplyConfig(1, "cluster: t\n# 2\n", "alone", "root", 3)).get(30, TimeUnit.SECONDS).accepted()).isTrue();
    assertThat(na.info().peers()).extracting(Peer::name).containsExactly("a");

    // a restarts: generation 1 from disk, the seed plus its log.
    stop(na);
    RaftNode na2 = start(a);
    await().atMost(WAIT).until(() -> na2.localState().epoch() == 2);
    assertThat(na2.generation().number()).isEqualTo(1);
    assertThat(na2.localState().status().nodes().get("b").state()).isEqualTo(NodeState.FENCED);

    // b comes back with its generation-0 disk: its peer hosts generation 1 only.
    RaftNode nb2 = start(b);
    assertThat(nb2.generation().number()).isZero();
    var groups = nb2.peerGroups(a);
    assertThat(groups).contains(Generation.groupId("t", 1)).doesNotContain(Generation.groupId("t", 0));
    assertThat(Generation.newerAt("t", 0, groups)).hasValue(1);
    nb2.rejoin(1, List.of(a, b));
    assertThat(dir.resolve("b").resolve(Generation.groupId("t", 0).getUuid().toString())).doesNotExist();
    na2.setConfiguration(List.of(a, b));
    await().atMost(WAIT).until(() -> nb2.localState().epoch() == 2);
    assertThat(nb2.localState().history().events()).anySatisfy(e -> assertThat(e.text()).contains("two-node takeover by a"));
    // two voters again: a commit needs both, and reaches both.
    assertThat(na2.submit(new Command.ApplyConfig(2, "cluster: t\n# 3\n", "both", "root", 4)).get(30, TimeUnit.SECONDS).accepted()).isTrue();
    await().atMost(WAIT).until(() -> nb2.localState().epoch() == 3);
    assertThat(na2.info().peers()).extracting(Peer::name).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void aGroupOfAnOlderGenerationLeftOnDiskIsPutAsideAndNeverStarts() throws Exception {
    RaftNode na = start(a);
    Path raftDir = dir.resolve("a");
    stop(na);
    // A crash after the new generation was written, before the old group was stopped.
    new Generation(1, List.of(a)).save(raftDir);
    RaftNode again = start(a);
    assertThat(again.generation().number()).isEqualTo(1);
    assertThat(raftDir.resolve(Generation.groupId("t", 0).getUuid().toString())).doesNotExist();
    assertThat(raftDir.resolve(Generation.groupId("t", 1).getUuid().toString())).isDirectory();
    assertThat(again.submit(new Command.ApplyConfig(0, "cluster: t\n", "", "root", 1)).get(30, TimeUnit.SECONDS).accepted()).isTrue();
    try (var dirs = Files.list(raftDir)) {
      assertThat(dirs.map(p -> p.getFileName().toString())).doesNotContain(RaftNode.REMOVED_GROUPS);
    }
  }
}
