package io.vigil.cluster.liveness;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * When each peer was last heard (monotonic nanos), from the per-peer silences Raft reports at each
 * tick. A new leader's Ratis record of a follower starts "just heard" whether or not the follower
 * ever answered, so on a leader a peer's samples count only once its silence has dropped (a real
 * answer arrived); becoming or ceasing to be leader starts that trust over. This node's own pauses
 * are not its peers' silence ({@link #paused}). Pure; not thread-safe (one driver thread).
 */
public final class HeardTimes {
  private final Map<String, Long> heard = new HashMap<>();
  private final Map<String, Long> prevSilence = new HashMap<>();
  private final Set<String> trusted = new HashSet<>();
  private boolean leader;

  /** Whether this node leads now; a change starts the trust in Ratis' records over. Call before the tick's samples. */
  public void role(boolean leader) {
    if (leader == this.leader) return;
    this.leader = leader;
    trusted.clear();
    prevSilence.clear();
  }

  /**
   * One sample: {@code peer} silent for {@code silenceMillis} at {@code nowNanos}. Returns when the
   * peer was heard, or empty when the sample does not count yet (a leader's record not trusted).
   */
  public OptionalLong sample(String peer, long silenceMillis, long nowNanos) {
    Long prev = prevSilence.put(peer, silenceMillis);
    if (leader && !trusted.contains(peer)) {
      if (prev == null || silenceMillis >= prev) return OptionalLong.empty();
      trusted.add(peer);
    }
    long at = nowNanos - silenceMillis * 1_000_000L;
    heard.merge(peer, at, (a, b) -> b - a > 0 ? b : a);
    return OptionalLong.of(at);
  }

  /** {@code peer} answered this node directly (a ping) at {@code atNanos}: heard then, whatever Raft's records say. */
  public void answered(String peer, long atNanos) {
    heard.merge(peer, atNanos, (a, b) -> b - a > 0 ? b : a);
  }

  /** Whether some peer's record is trusted since this node became leader (an answer arrived). */
  public boolean anyTrusted() {
    return !trusted.isEmpty();
  }

  /** This node did not run for {@code pauseNanos}: what it did not see meanwhile is not silence. */
  public void paused(long pauseNanos) {
    heard.replaceAll((n, t) -> t + pauseNanos);
  }

  /** When {@code peer} was last heard, or empty if never (since this object was made or it was forgotten). */
  public OptionalLong lastHeard(String peer) {
    Long t = heard.get(peer);
    return t == null ? OptionalLong.empty() : OptionalLong.of(t);
  }

  /** Forgets {@code peer}: it counts as never heard until its next counted sample. */
  public void forget(String peer) {
    heard.remove(peer);
    prevSilence.remove(peer);
    trusted.remove(peer);
  }
}
