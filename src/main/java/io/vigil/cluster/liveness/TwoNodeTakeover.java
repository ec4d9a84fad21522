package io.vigil.cluster.liveness;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * When a node of a pure two-voter cluster (no witness) may fence its peer and then move the
 * cluster to a one-voter Raft group: the fencing-won takeover (docs/cluster.md, "Two-node clusters").
 *
 * <p>Raft cannot commit with one of two voters, so the race is run outside Raft: each side that
 * lost its peer for node-timeout fences it through the configured device (whose delay decides a
 * split); only a side whose fencing <em>succeeded</em> takes over. A node that has not heard its
 * peer since it started never fences (Corosync's wait_for_all): a node booting alone, or a fenced
 * node coming back, must not shoot the node that runs the cluster.
 *
 * <p>Pure: inputs in, a decision out; the daemon's {@code TwoNodeDriver} does the I/O.
 */
public final class TwoNodeTakeover {
  /** The first retry after a failed fencing waits this long, doubling up to {@link #MAX_BACKOFF_NANOS}. */
  public static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;
  public static final long MAX_BACKOFF_NANOS = 10_000_000_000L;

  private TwoNodeTakeover() {}

  /**
   * What this node knows now.
   *
   * @param voters the voters of the current Raft group (this node included)
   * @param peerSilenceNanos how long the peer has been silent; empty if it was never heard since this daemon started
   * @param fencingEnabled the configuration's fencing-enabled
   * @param peerFenceable some configured device can fence the peer
   * @param fencingPaused an operator's fencing pause covers the peer
   * @param failedAttempts fencing attempts of the peer that failed since it was last heard
   * @param sinceLastFailureNanos time since the last failed attempt (ignored when there was none)
   */
  public record Inputs(String self, Set<String> voters, OptionalLong peerSilenceNanos, long nodeTimeoutNanos,
      boolean fencingEnabled, boolean peerFenceable, boolean fencingPaused, int failedAttempts, long sinceLastFailureNanos) {
    public Inputs {
      Objects.requireNonNull(self, "self");
      voters = Set.copyOf(voters);
      Objects.requireNonNull(peerSilenceNanos, "peerSilenceNanos");
      if (nodeTimeoutNanos <= 0) throw new IllegalArgumentException("node timeout must be positive, got " + nodeTimeoutNanos + " ns");
      if (failedAttempts < 0) throw new IllegalArgumentException("failed attempts must be >= 0, got " + failedAttempts);
    }
  }

  /** What to do. */
  public sealed interface Decision {
    /** Nothing to do (why, for logs and status). */
    record Wait(String why) implements Decision {}

    /** Fence {@code peer} now; take over only if that succeeds. */
    record FencePeer(String peer, String why) implements Decision {}
  }

  /**
   * How long the peer must be silent before it is fenced: the node-timeout, but at least the
   * shortest silence Raft's heartbeat alone measures ({@link PingSchedule#heartbeatResolution}).
   * The two-node driver hears Raft's heartbeat only (the leader's pings feed the liveness driver,
   * not this one), so a shorter fast-settings node-timeout would fence a healthy peer between two
   * heartbeats.
   */
  public static java.time.Duration silenceLimit(java.time.Duration nodeTimeout, java.time.Duration raftHeartbeat) {
    return PingSchedule.useful(nodeTimeout, raftHeartbeat) ? PingSchedule.heartbeatResolution(raftHeartbeat) : nodeTimeout;
  }

  /** The peer of a two-voter group, or null when the group is not exactly this node plus one other. */
  public static String peerOf(String self, Set<String> voters) {
    if (voters.size() != 2 || !voters.contains(self)) return null;
    return voters.stream().filter(v -> !v.equals(self)).findFirst().orElseThrow();
  }

  /** Decides whether to fence the peer now. */
  public static Decision decide(Inputs in) {
    String peer = peerOf(in.self(), in.voters());
    if (peer == null) return new Decision.Wait("not a two-voter group (voters " + in.voters().stream().sorted().toList() + ")");
    if (in.peerSilenceNanos().isEmpty()) {
      return new Decision.Wait("peer " + peer + " not heard since this node started (wait for all): it is never fenced from here");
    }
    long silence = in.peerSilenceNanos().getAsLong();
    if (silence < in.nodeTimeoutNanos()) return new Decision.Wait("peer " + peer + " is alive");
    String silent = "peer " + peer + " silent for " + silence / 1_000_000 + " ms (node-timeout " + in.nodeTimeoutNanos() / 1_000_000 + " ms)";
    if (!in.fencingEnabled()) {
      return new Decision.Wait(silent + ", but fencing is disabled: a two-node cluster without fencing or witness cannot take over");
    }
    if (!in.peerFenceable()) return new Decision.Wait(silent + ", but no fence device can fence " + peer);
    if (in.fencingPaused()) return new Decision.Wait(silent + ", but fencing of " + peer + " is paused by an operator");
    if (in.failedAttempts() > 0 && in.sinceLastFailureNanos() < backoffNanos(in.failedAttempts())) {
      return new Decision.Wait(silent + "; fencing failed " + in.failedAttempts() + " time(s), next attempt in "
          + (backoffNanos(in.failedAttempts()) - in.sinceLastFailureNanos()) / 1_000_000 + " ms");
    }
    return new Decision.FencePeer(peer, silent);
  }

  /**
   * Why a two-voter group with {@code peer} could not take over if the peer were lost, or "" when it
   * could: shown in status at all times, since a two-node cluster without fencing or witness loses
   * every change (and every recovery) with either node.
   */
  public static String setupProblem(String peer, boolean fencingEnabled, boolean peerFenceable) {
    if (!fencingEnabled) {
      return "fencing is disabled and there is no witness: if " + peer + " is lost, this node cannot take over (nothing is recovered)";
    }
    if (!peerFenceable) return "no fence device can fence " + peer + ": if it is lost, this node cannot take over (nothing is recovered)";
    return "";
  }

  /** The wait after {@code failures} failed attempts: 1 s, 2 s, 4 s, ... at most 10 s. */
  public static long backoffNanos(int failures) {
    if (failures <= 0) return 0;
    long b = FIRST_BACKOFF_NANOS << Math.min(failures - 1, 20);
    return Math.min(b, MAX_BACKOFF_NANOS);
  }
}
