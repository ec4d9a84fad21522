package io.vigil.cluster.liveness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When the leader pings each peer, and when each last answered. Raft's own heartbeat comes every
 * half shortest election timeout (150 ms) whatever the node-timeout; a node-timeout of a few
 * hundred milliseconds or less needs a denser signal, so the leader also asks every peer for an
 * answer every {@link #intervalFor node-timeout / 5} and counts the answer as hearing it. A peer
 * that does not answer gets at most {@link #MAX_IN_FLIGHT} unanswered pings, so a dead peer costs
 * no more than a live one. Pure: time is passed in; not thread-safe (one driver thread).
 */
public final class PingSchedule {
  /** Pings to one peer that may wait for an answer at once. */
  public static final int MAX_IN_FLIGHT = 3;
  /** No denser than this, whatever the node-timeout. */
  public static final Duration MIN_INTERVAL = Duration.ofMillis(10);
  /** No sparser than this: Raft's heartbeat covers longer gaps anyway. */
  public static final Duration MAX_INTERVAL = Duration.ofMillis(100);

  private record Peer(long lastSentNanos, int inFlight) {}

  private final Map<String, Peer> peers = new HashMap<>();
  /** The latest answer of each peer: when its ping was sent, when the answer came. */
  public record Answer(long sentNanos, long atNanos) {}

  private final Map<String, Answer> answered = new HashMap<>();
  private long intervalNanos;

  public PingSchedule(Duration nodeTimeout) {
    interval(nodeTimeout);
  }

  /**
   * Whether pings add anything to Raft's heartbeat (sent every {@code raftHeartbeat}): they do
   * when fewer than three heartbeats fit in the node-timeout (fast settings); with the default
   * 500 ms and Raft's 150 ms the heartbeat alone measures silence well enough, and pings would
   * only cost CPU.
   */
  public static boolean useful(Duration nodeTimeout, Duration raftHeartbeat) {
    return nodeTimeout.compareTo(heartbeatResolution(raftHeartbeat)) < 0;
  }

  /** The shortest silence Raft's heartbeat alone tells from a late heartbeat: three heartbeats. */
  public static Duration heartbeatResolution(Duration raftHeartbeat) {
    return raftHeartbeat.multipliedBy(3);
  }

  /** The ping interval for {@code nodeTimeout}: five pings per timeout, within [10 ms, 100 ms]. */
  public static Duration intervalFor(Duration nodeTimeout) {
    Duration d = nodeTimeout.dividedBy(5);
    if (d.compareTo(MIN_INTERVAL) < 0) return MIN_INTERVAL;
    return d.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : d;
  }

  /** Follows a changed node-timeout. */
  public void interval(Duration nodeTimeout) {
    intervalNanos = intervalFor(nodeTimeout).toNanos();
  }

  /**
   * The peers to ping now among {@code current} (each at most once per interval, and only while
   * fewer than {@link #MAX_IN_FLIGHT} of its pings are unanswered); records them as sent. Peers no
   * longer in {@code current} are forgotten.
   */
  public List<String> due(Collection<String> current, long nowNanos) {
    peers.keySet().retainAll(current);
    answered.keySet().retainAll(current);
    List<String> out = new ArrayList<>();
    for (String p : current) {
      Peer s = peers.get(p);
      if (s != null && (nowNanos - s.lastSentNanos < intervalNanos || s.inFlight >= MAX_IN_FLIGHT)) continue;
      peers.put(p, new Peer(nowNanos, s == null ? 1 : s.inFlight + 1));
      out.add(p);
    }
    return out;
  }

  /** A ping to {@code peer} sent at {@code sentNanos} was answered at {@code atNanos}. */
  public void answered(String peer, long sentNanos, long atNanos) {
    settle(peer);
    answered.merge(peer, new Answer(sentNanos, atNanos), (a, b) -> b.sentNanos - a.sentNanos > 0 ? b : a);
  }

  /** A ping to {@code peer} failed or timed out: it no longer waits. */
  public void failed(String peer) {
    settle(peer);
  }

  private void settle(String peer) {
    Peer s = peers.get(peer);
    if (s != null && s.inFlight > 0) peers.put(peer, new Peer(s.lastSentNanos, s.inFlight - 1));
  }

  /** The answer to the latest ping {@code peer} answered, or empty if it never did (or was forgotten). */
  public java.util.Optional<Answer> lastAnswer(String peer) {
    return java.util.Optional.ofNullable(answered.get(peer));
  }

  /** Forgets every answer (this node stopped leading: answers to an older leadership prove nothing now). */
  public void reset() {
    answered.clear();
  }
}
