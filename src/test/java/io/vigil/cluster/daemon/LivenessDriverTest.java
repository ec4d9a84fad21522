package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cluster.liveness.Lease;
import io.vigil.cluster.liveness.LivenessListener;
import io.vigil.cluster.raft.GroupInfo;
import io.vigil.cluster.raft.Peer;
import io.vigil.cluster.raft.RaftAccess;
import io.vigil.cluster.state.Apply;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The liveness driver over an in-memory Raft that applies commands with the pure Apply; fake ticker. */
class LivenessDriverTest {
  private static final long MS = 1_000_000L;
  /** The node timeout in force: the default, as no configuration sets one here. */
  private static final long T = Daemon.NODE_TIMEOUT.toMillis();

  /** In-memory stand-in for Raft: commands apply at once; the test sets role and silences. */
  static final class FakeRaft implements RaftAccess {
    ClusterState state = ClusterState.initial("t");
    String self = "a";
    String leader = "a";
    List<Peer> peers = new ArrayList<>(List.of(peer("a"), peer("b"), peer("c")));
    Map<String, Long> silence = new HashMap<>();
    /** Whether ping() is supported at all (the default, like other fakes: not). */
    boolean pingable;
    /** Peers that answer pings at once; the others leave them unanswered. */
    java.util.Set<String> answering = new java.util.HashSet<>();
    /** Pings sent, by peer, and those still unanswered. */
    Map<String, Integer> pinged = new HashMap<>();
    List<CompletableFuture<Void>> unanswered = new ArrayList<>();
    /** The peers of each keepPingingOnly call, in order. */
    List<java.util.Set<String>> keptPinging = new ArrayList<>();

    @Override
    public void keepPingingOnly(java.util.Set<Peer> peers) {
      keptPinging.add(peers.stream().map(Peer::name).collect(java.util.stream.Collectors.toSet()));
    }

    @Override
    public CompletableFuture<Void> ping(Peer peer) {
      if (!pingable) return RaftAccess.super.ping(peer);
      pinged.merge(peer.name(), 1, Integer::sum);
      if (answering.contains(peer.name())) return CompletableFuture.completedFuture(null);
      CompletableFuture<Void> f = new CompletableFuture<>();
      unanswered.add(f);
      return f;
    }

    @Override
    public CompletableFuture<Result> submit(Command command) {
      Apply.Outcome o = Apply.apply(state, command);
      state = o.state();
      return CompletableFuture.completedFuture(o.result());
    }

    @Override
    public ClusterState localState() {
      return state;
    }

    @Override
    public ClusterState readState() {
      return state;
    }

    @Override
    public GroupInfo info() {
      return new GroupInfo(self, leader, self.equals(leader) ? "LEADER" : "FOLLOWER", 1, 0, peers, silence);
    }
  }

  static Peer peer(String n) {
    return new Peer(n, "127.0.0.1:" + (7000 + n.charAt(0)), Member.Role.VOTER);
  }

  private final FakeRaft raft = new FakeRaft();
  private long now = 1_000 * MS;
  private final List<String> seen = new ArrayList<>();
  private final LivenessDriver driver = new LivenessDriver("a", raft, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
      () -> now, Duration.ofSeconds(1), Lease.defaults());

  {
    driver.addListener(new LivenessListener() {
      @Override public void nodeLost(String node, long silentNanos) { seen.add("lost:" + node); }
      @Override public void nodeReturned(String node) { seen.add("back:" + node); }
      @Override public void quorumGained() { seen.add("quorum"); }
      @Override public void quorumLost(long stopBy, long expiry) { seen.add("noquorum"); }
    });
  }

  /**
   * Advances the fake ticker by {@code ms} in steps of the daemon's tick (a longer jump would be a
   * pause of the daemon), raising every silence except the heard ones, and ticking at each step.
   */
  private void advance(long ms, String... heard) {
    long step = Daemon.LIVENESS_TICK.toMillis();
    for (long done = 0; done < ms; ) {
      long d = Math.min(step, ms - done);
      done += d;
      now += d * MS;
      raft.silence.replaceAll((k, v) -> v + d);
      for (String h : heard) raft.silence.put(h, 0L);
      driver.tick();
    }
  }

  /** Jumps the fake ticker by {@code ms} at once: to the driver, this daemon did not run meanwhile. */
  private void freeze(long ms) {
    now += ms * MS;
    raft.silence.replaceAll((k, v) -> v + ms);
    driver.tick();
  }

  private NodeState stateOf(String node) {
    var ns = raft.state.status().nodes().get(node);
    return ns == null ? null : ns.state();
  }

  /** Starts as leader with b and c answering (their silences drop once, so the driver trusts them). */
  private void leadWithAnsweringFollowers() {
    raft.silence.put("b", 100L);
    raft.silence.put("c", 100L);
    driver.tick();
    advance(10, "b", "c");
  }

  @Test
  void withAShortNodeTimeoutAnsweredPingsKeepAFollowerAliveBetweenRaftHeartbeatsAndSilentOnesCountFromTheLastAnswer() {
    long t = 100;
    assertThat(raft.submit(new Command.ApplyConfig(0, "cluster: t\nproperties: {node-timeout: " + t + "ms}\n", "", "root", 1))
        .join().accepted()).isTrue();
    raft.pingable = true;
    raft.answering.addAll(List.of("b", "c"));
    leadWithAnsweringFollowers();
    assertThat(driver.nodeTimeout()).isEqualTo(Duration.ofMillis(t));
    // Raft hears nobody for longer than node-timeout (its heartbeat is 150 ms), but both answer the leader's pings.
    advance(3 * t);
    assertThat(seen).containsExactly("quorum");
    assertThat(raft.pinged.get("b")).isGreaterThanOrEqualTo((int) (3 * t / io.vigil.cluster.liveness.PingSchedule.intervalFor(
        Duration.ofMillis(t)).toMillis()));
    // c stops answering: lost one node-timeout after its last answer, not after Raft's last heartbeat.
    raft.answering.remove("c");
    advance(t - 30);
    assertThat(seen).containsExactly("quorum");
    advance(40);
    assertThat(seen).containsExactly("quorum", "lost:c");
    // A silent peer never has more than MAX_IN_FLIGHT pings waiting.
    assertThat(raft.unanswered).hasSize(io.vigil.cluster.liveness.PingSchedule.MAX_IN_FLIGHT);
  }

  @Test
  void aRemovedMembersPingConnectionIsClosed() {
    leadWithAnsweringFollowers();
    assertThat(raft.keptPinging).containsExactly(java.util.Set.of("b", "c"));
    raft.peers.removeIf(p -> p.name().equals("c")); // vigil node remove c
    advance(50, "b");
    assertThat(raft.keptPinging).containsExactly(java.util.Set.of("b", "c"), java.util.Set.of("b"));
    advance(50, "b");
    assertThat(raft.keptPinging).as("only on a change").hasSize(2);
  }

  @Test
  void withTheDefaultNodeTimeoutRaftsHeartbeatSufficesAndNobodyIsPinged() {
    raft.pingable = true;
    raft.answering.addAll(List.of("b", "c"));
    leadWithAnsweringFollowers();
    advance(T + 100, "b");
    assertThat(seen).containsExactly("quorum", "lost:c");
    assertThat(raft.pinged).isEmpty();
  }

  @Test
  void withARaftAccessThatCannotPingRaftsHeartbeatsDecideAlone() {
    assertThat(raft.submit(new Command.ApplyConfig(0, "cluster: t\nproperties: {node-timeout: 300ms}\n", "", "root", 1))
        .join().accepted()).isTrue();
    leadWithAnsweringFollowers();
    advance(250, "b");
    assertThat(seen).containsExactly("quorum");
    advance(100, "b");
    assertThat(seen).containsExactly("quorum", "lost:c");
  }

  @Test
  void leaderRecordsASilentFollowerLostAfterNodeTimeoutAndOnlineWhenHeardAgain() {
    leadWithAnsweringFollowers();
    assertThat(seen).containsExactly("quorum");
    assertThat(stateOf("b")).isEqualTo(NodeState.ONLINE);
    advance(T - 100, "b");
    assertThat(seen).containsExactly("quorum");
    advance(100, "b");
    assertThat(seen).containsExactly("quorum", "lost:c");
    assertThat(stateOf("c")).isEqualTo(NodeState.LOST);
    assertThat(stateOf("b")).isEqualTo(NodeState.ONLINE);
    advance(100, "b", "c");
    assertThat(seen).containsExactly("quorum", "lost:c", "back:c");
    assertThat(stateOf("c")).isEqualTo(NodeState.ONLINE);
  }

  @Test
  void aLeaderThatWasFrozenDoesNotCallItsFollowersLostNorLoseQuorumOnWaking() {
    leadWithAnsweringFollowers();
    freeze(T + 500); // longer than node-timeout; Ratis has not read their answers yet
    assertThat(seen).containsExactly("quorum");
    advance(50, "b", "c"); // the answers that came in meanwhile are read
    assertThat(seen).containsExactly("quorum");
    assertThat(driver.hasQuorum()).isTrue();
    // a follower that really died meanwhile is lost one node-timeout of awake silence later
    advance(T, "b");
    assertThat(seen).containsExactly("quorum", "lost:c");
  }

  @Test
  void aFencedNodeIsOnlineAgainOnlyOnAnAnswerNewerThanTheFencing() {
    leadWithAnsweringFollowers();
    raft.state = Apply.apply(raft.state, new Command.SetNodeState("c", NodeState.LOST, "silent", "t", 5)).state();
    raft.state = Apply.apply(raft.state, new Command.RecordFencing("c", "lab", "off", true, 10, "auto", "a", 10)).state();
    assertThat(stateOf("c")).isEqualTo(NodeState.FENCED);
    // Ratis still remembers c's last answer, from before the fencing (the wall clock here is 0 + silence)
    raft.silence.put("c", 50L);
    driver.tick();
    assertThat(stateOf("c")).isEqualTo(NodeState.FENCED);
  }

  @Test
  void leaderAloneLosesQuorumAfterNodeTimeout() {
    leadWithAnsweringFollowers();
    advance(T);
    assertThat(seen).containsExactly("quorum", "lost:b", "lost:c", "noquorum");
    assertThat(driver.hasQuorum()).isFalse();
  }

  @Test
  void theOnlyVoterKeepsQuorumWhileItHasNoLeaderYet() {
    // a two-node takeover's new group (or a one-node cluster) electing itself: no leader, no peer
    raft.peers = new ArrayList<>(List.of(peer("a")));
    raft.leader = "";
    raft.silence.clear();
    driver.tick();
    for (int i = 0; i < 30; i++) advance(100);
    assertThat(seen).containsExactly("quorum");
    assertThat(driver.hasQuorum()).isTrue();
    // a two-voter group in the same situation (its peer silent, no leader) loses it
    raft.peers = new ArrayList<>(List.of(peer("a"), peer("b")));
    for (int i = 0; i < 30; i++) advance(100);
    assertThat(seen).containsExactly("quorum", "noquorum");
  }

  @Test
  void aFollowerWhoseLeaderVanishedLosesQuorum() {
    raft.leader = "b";
    raft.silence.put("b", 0L);
    driver.tick();
    advance(300, "b");
    assertThat(seen).containsExactly("quorum");
    raft.leader = ""; // the leader died: Ratis forgets it and reports a leader without an id, heard just now
    raft.silence.clear();
    for (int i = 0; i < 20; i++) advance(100, "");
    assertThat(seen).containsExactly("quorum", "noquorum");
    assertThat(driver.hasQuorum()).isFalse();
  }

  @Test
  void inAFiveNodeClusterAFollowerHasQuorumThroughItsLeader() {
    raft.peers.add(peer("d"));
    raft.peers.add(peer("e"));
    raft.leader = "b";
    raft.silence.put("b", 0L);
    driver.tick();
    advance(500, "b");
    assertThat(seen).containsExactly("quorum");
    assertThat(driver.hasQuorum()).isTrue();
  }

  @Test
  void followerReportsQuorumFromItsLeaderButNeverDeclaresNodesLost() {
    raft.leader = "b";
    raft.silence.put("b", 0L);
    driver.tick();
    advance(5000, "b");
    assertThat(seen).containsExactly("quorum");
    assertThat(raft.state.status().nodes()).isEmpty();
    // the leader is gone: the others get an election timeout to elect a new one before quorum counts as lost
    advance(T);
    assertThat(seen).containsExactly("quorum");
    advance(LivenessDriver.ELECTION_GRACE.toMillis());
    assertThat(seen).containsExactly("quorum", "noquorum");
  }

  @Test
  void memberAddedWhileLeadingGetsAJoinGrace() {
    leadWithAnsweringFollowers();
    raft.peers.add(peer("d"));
    raft.silence.put("d", 50_000L); // Ratis reports a long silence for a follower still catching up
    advance(100, "b", "c");
    advance(5000, "b", "c");
    assertThat(seen).doesNotContain("lost:d");
    advance(LivenessDriver.JOIN_GRACE.toMillis() - 5000 + 1000, "b", "c");
    assertThat(seen).contains("lost:d");
  }

  @Test
  void theJoinGraceSurvivesTheMonitorBeingRebuiltWhenTheConfigurationCommits() {
    leadWithAnsweringFollowers();
    raft.peers.add(new Peer("d", "127.0.0.1:7100", Member.Role.LISTENER)); // Ratis lists the joiner first (staging)
    raft.silence.put("d", 50_000L);
    advance(100, "b", "c");
    raft.peers.removeIf(p -> p.name().equals("d"));
    raft.peers.add(peer("d")); // now a voter: the voters changed, the monitor is rebuilt
    advance(100, "b", "c");
    advance(3000, "b", "c");
    assertThat(seen).doesNotContain("lost:d");
  }

  @Test
  void newLeaderCountsSilenceFromWhenItLastHeardTheOldLeader() {
    raft.leader = "b";
    raft.silence.put("b", 0L);
    driver.tick();
    advance(100, "b");          // last heard of b, as a follower
    advance(T - 300);           // b died; a wins the election node-timeout - 300 ms later
    raft.leader = "a";
    raft.silence.clear();
    raft.silence.put("b", 0L);  // Ratis' fresh follower records claim "just heard"
    raft.silence.put("c", 0L);
    driver.tick();
    advance(100, "c");          // c answers (its silence drops); b never does
    assertThat(seen).doesNotContain("lost:b");
    advance(200, "c");          // node-timeout after b was last heard
    assertThat(seen).contains("lost:b").doesNotContain("lost:c");
    assertThat(stateOf("b")).isEqualTo(NodeState.LOST);
  }

  /**
   * Found with builtin:volume under three real daemons (VolumeFailoverThroughClusterTest, under
   * load): the leader, also the volume's Primary, was killed; b won the election more than a node
   * timeout after it last heard the old leader, within the election grace it had as a follower.
   * Elected, it lost that grace before any follower's answer was trusted, counted quorum lost at
   * once, and StopWithoutQuorum stopped the Secondary it was about to promote, though c answered
   * a moment later.
   */
  @Test
  void aFollowerElectedWithinTheElectionGraceKeepsQuorumUntilItsFollowersAnswer() {
    raft.leader = "b";
    raft.silence.put("b", 0L);
    driver.tick();
    advance(100, "b");          // last heard of b, as a follower
    advance(T + 200);           // b died; a wins the election after a node timeout, within the election grace
    assertThat(seen).containsExactly("quorum");
    raft.leader = "a";
    raft.silence.clear();
    raft.silence.put("b", 0L);  // Ratis' fresh follower records claim "just heard"
    raft.silence.put("c", 0L);
    driver.tick();
    advance(50);                // the first append-entries round trip
    advance(100, "c");          // c answers its new leader; b never does
    assertThat(seen).doesNotContain("noquorum").contains("lost:b");
    assertThat(driver.hasQuorum()).isTrue();
    advance(T + LivenessDriver.ELECTION_GRACE.toMillis(), "c");
    assertThat(seen).doesNotContain("noquorum");
    advance(T + 100);           // c falls silent too: quorum is lost after the node timeout, no grace now
    assertThat(seen).contains("noquorum");
  }
}
