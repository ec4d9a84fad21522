package io.vigil.cluster.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LivenessTest {
  private static final long MS = 1_000_000L;
  private long now = 5_000 * MS; // a fake monotonic ticker, advanced by the test

  @Test
  void nodeIsLostAfterNodeTimeoutOfSilenceAndReturnsWhenHeard() {
    NodeTimeouts t = NodeTimeouts.of(Duration.ofMillis(1000)).heard("b", now);
    NodeTimeouts.Step s = t.tick(now + 999 * MS);
    assertThat(s.newlyLost()).isEmpty();
    assertThat(s.nextDeadlineNanos()).isEqualTo(now + 1000 * MS);
    s = s.next().tick(now + 1000 * MS);
    assertThat(s.newlyLost()).containsExactly("b");
    s = s.next().tick(now + 1500 * MS);
    assertThat(s.newlyLost()).isEmpty(); // reported once
    s = s.next().heard("b", now + 1600 * MS).tick(now + 1600 * MS);
    assertThat(s.returned()).containsExactly("b");
    assertThat(s.next().lost()).isEmpty();
  }

  @Test
  void quorumIsAStrictMajorityOfVoters() {
    Quorum q = Quorum.majority(Set.of("a", "b", "c", "d", "e"));
    assertThat(q.majoritySize()).isEqualTo(3);
    assertThat(q.hasQuorum(Set.of("a", "b", "c"))).isTrue();
    assertThat(q.hasQuorum(Set.of("a", "b", "x", "y"))).isFalse(); // non-voters do not count
    assertThat(Quorum.majority(Set.of("a", "b", "c", "d")).hasQuorum(Set.of("a", "b"))).isFalse();
  }

  @Test
  void twoNodeModeWaitsForBothAtFirstStartThenKeepsQuorumAlone() {
    Quorum q = Quorum.twoNode(Set.of("a", "b"));
    assertThat(q.hasQuorum(Set.of("a"))).isFalse();
    q = q.observe(Set.of("a", "b"));
    assertThat(q.hasQuorum(Set.of("a"))).isTrue();
    assertThatThrownBy(() -> Quorum.twoNode(Set.of("a", "b", "c"))).hasMessageContaining("exactly 2 voters");
  }

  @Test
  void leaseEndsOnTheNodeBeforeSurvivorsMayAssumeItStopped() {
    Lease l = new Lease(Duration.ofSeconds(2), 0.01, Duration.ofMillis(500), Duration.ofMillis(200));
    long sent = now;
    assertThat(l.ownExpiry(sent)).isEqualTo(sent + 1980 * MS);
    assertThat(l.mustStopBy(sent)).isEqualTo(sent + 1480 * MS);
    // The survivor heard the node no earlier than it sent; even if its clock runs 1 % slow,
    // the peer expiry is later in real time than the node's own expiry with a 1 % fast clock.
    long survivorReal = (long) ((l.peerExpiry(sent) - sent) / 1.01);
    long ownReal = (long) ((l.ownExpiry(sent) - sent) / 0.99);
    assertThat(survivorReal).isGreaterThan(ownReal);
    assertThatThrownBy(() -> new Lease(Duration.ofSeconds(1), 0.01, Duration.ofSeconds(1), Duration.ZERO))
        .hasMessageContaining("stop margin");
  }

  @Test
  void theOnlyVoterHasQuorumWithoutAnyAcknowledgement() {
    LivenessMonitor m = new LivenessMonitor("a", Quorum.majority(Set.of("a")), NodeTimeouts.of(Duration.ofSeconds(1)), Lease.defaults());
    assertThat(m.tick(now)).containsExactly(new LivenessMonitor.Signal.QuorumGained());
    assertThat(m.tick(now + 10_000 * MS)).isEmpty();
    assertThat(m.hasQuorum()).isTrue();
  }

  @Test
  void monitorLosesQuorumWhenNoQuorumAckWithinNodeTimeoutAndSaysWhenToStop() {
    Lease lease = Lease.defaults();
    LivenessMonitor m = new LivenessMonitor("a", Quorum.majority(Set.of("a", "b", "c")),
        NodeTimeouts.of(Duration.ofSeconds(1)), lease);
    m.expectVoters(now);
    assertThat(m.tick(now)).isEmpty();
    m.acknowledged(Set.of("b"), now);
    m.heard("b", now);
    assertThat(m.tick(now + 10 * MS)).containsExactly(new LivenessMonitor.Signal.QuorumGained());
    long sent = now + 400 * MS;
    m.acknowledged(Set.of("b"), sent);
    m.heard("b", sent);
    // c never answered: lost after 1 s; quorum kept through b.
    assertThat(m.tick(now + 1000 * MS)).containsExactly(new LivenessMonitor.Signal.NodeLost("c", 1000 * MS));
    assertThat(m.hasQuorum()).isTrue();
    // b goes silent too: no quorum ack since `sent`, so quorum is lost 1 s after it.
    assertThat(m.tick(sent + 999 * MS)).isEmpty();
    assertThat(m.tick(sent + 1000 * MS)).containsExactly(
        new LivenessMonitor.Signal.NodeLost("b", 1000 * MS),
        new LivenessMonitor.Signal.QuorumLost(lease.mustStopBy(sent), lease.ownExpiry(sent)));
    assertThat(lease.mustStopBy(sent)).isGreaterThan(sent + 1000 * MS);
  }

  @Test
  void aLeaderThatStepsDownKeepsItsQuorumDeadlineAndStillLosesQuorum() {
    Lease lease = Lease.defaults();
    Quorum q = Quorum.majority(Set.of("a", "b", "c"));
    LivenessMonitor asLeader = new LivenessMonitor("a", q, NodeTimeouts.of(Duration.ofSeconds(1)), lease);
    asLeader.acknowledged(Set.of("b", "c"), now);
    assertThat(asLeader.tick(now)).containsExactly(new LivenessMonitor.Signal.QuorumGained());
    // partitioned: Ratis steps the leader down before node-timeout; the driver builds a new monitor
    LivenessMonitor asFollower = new LivenessMonitor("a", q, NodeTimeouts.of(Duration.ofSeconds(1)), lease);
    asFollower.carryQuorumFrom(asLeader);
    assertThat(asFollower.tick(now + 900 * MS)).isEmpty();
    assertThat(asFollower.tick(now + 1000 * MS))
        .containsExactly(new LivenessMonitor.Signal.QuorumLost(lease.mustStopBy(now), lease.ownExpiry(now)));
  }

  @Test
  void aPauseOfThisNodeIsNotCountedAsItsPeersSilence() {
    NodeTimeouts t = NodeTimeouts.of(Duration.ofMillis(500)).heard("b", now).heard("c", now);
    // this node froze for 700 ms right after hearing both: neither is lost when it wakes
    NodeTimeouts.Step s = t.paused(700 * MS).tick(now + 750 * MS);
    assertThat(s.newlyLost()).isEmpty();
    // b answers after the wake-up, c does not: c is lost 500 ms of awake silence later
    s = s.next().heard("b", now + 760 * MS).tick(now + 1199 * MS);
    assertThat(s.newlyLost()).isEmpty();
    s = s.next().tick(now + 1200 * MS);
    assertThat(s.newlyLost()).containsExactly("c");
  }

  @Test
  void aPausedLeaderKeepsQuorumWhileItReadsTheAnswersButNotPastItsCreditAndNeverPastItsLease() {
    Lease lease = Lease.defaults();
    LivenessMonitor m = new LivenessMonitor("a", Quorum.majority(Set.of("a", "b", "c")),
        NodeTimeouts.of(Duration.ofMillis(500)), lease);
    m.acknowledged(Set.of("b", "c"), now);
    assertThat(m.tick(now)).containsExactly(new LivenessMonitor.Signal.QuorumGained());
    // frozen for 800 ms: the first look after waking keeps quorum, and the answers then arrive
    m.paused(800 * MS);
    assertThat(m.tick(now + 850 * MS)).isEmpty();
    m.acknowledged(Set.of("b", "c"), now + 860 * MS);
    assertThat(m.tick(now + 870 * MS)).isEmpty();
    assertThat(m.hasQuorum()).isTrue();
    // frozen for 3 s: the credit is capped at 1 s, so quorum is lost at contact + 500 ms + 1 s,
    // and the stop deadline still counts from the last real contact
    long sent = now + 860 * MS;
    m.paused(3_000 * MS);
    assertThat(m.tick(sent + 1_499 * MS)).isEmpty();
    assertThat(m.tick(sent + 1_500 * MS))
        .containsExactly(new LivenessMonitor.Signal.QuorumLost(lease.mustStopBy(sent), lease.ownExpiry(sent)));
  }

  @Test
  void ackFromAMinorityIsNoQuorumContact() {
    LivenessMonitor m = new LivenessMonitor("a", Quorum.majority(Set.of("a", "b", "c", "d", "e")),
        NodeTimeouts.of(Duration.ofSeconds(1)), Lease.defaults());
    m.acknowledged(Set.of("b"), now);
    assertThat(m.tick(now)).isEmpty();
    assertThat(m.hasQuorum()).isFalse();
    m.acknowledged(Set.of("b", "c"), now + MS);
    assertThat(m.tick(now + MS)).containsExactly(new LivenessMonitor.Signal.QuorumGained());
  }

  @Test
  void listenersReceiveSignalsInOrder() {
    StringBuilder seen = new StringBuilder();
    LivenessListener l = new LivenessListener() {
      @Override public void nodeLost(String node, long silent) { seen.append("lost:").append(node).append(' '); }
      @Override public void nodeReturned(String node) { seen.append("back:").append(node).append(' '); }
      @Override public void quorumGained() { seen.append("quorum "); }
      @Override public void quorumLost(long stopBy, long expiry) { seen.append("noquorum "); }
    };
    LivenessMonitor.deliver(java.util.List.of(new LivenessMonitor.Signal.QuorumGained(),
        new LivenessMonitor.Signal.NodeLost("c", 1), new LivenessMonitor.Signal.NodeReturned("c"),
        new LivenessMonitor.Signal.QuorumLost(1, 2)), l);
    assertThat(seen.toString()).isEqualTo("quorum lost:c back:c noquorum ");
  }
}
