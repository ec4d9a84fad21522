package io.vigil.cluster.liveness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which peers are lost: a peer is lost once it has not been heard from for {@code nodeTimeout}
 * (monotonic nanoseconds, as from {@code System.nanoTime()}). Immutable; each observation returns
 * a new value. A peer never heard from counts from when it was first {@link #expect expected}.
 */
public final class NodeTimeouts {
  private final long timeoutNanos;
  private final Map<String, Long> lastHeard;
  private final Set<String> lost;

  private NodeTimeouts(long timeoutNanos, Map<String, Long> lastHeard, Set<String> lost) {
    this.timeoutNanos = timeoutNanos;
    this.lastHeard = lastHeard;
    this.lost = lost;
  }

  /** Tracks no peers yet; {@code nodeTimeout} must be positive. */
  public static NodeTimeouts of(Duration nodeTimeout) {
    if (nodeTimeout.isNegative() || nodeTimeout.isZero()) {
      throw new IllegalArgumentException("node-timeout " + nodeTimeout + " must be positive");
    }
    return new NodeTimeouts(nodeTimeout.toNanos(), Map.of(), Set.of());
  }

  /** Starts tracking {@code node} as if heard at {@code nowNanos}, unless it is tracked already. */
  public NodeTimeouts expect(String node, long nowNanos) {
    return lastHeard.containsKey(node) ? this : heard(node, nowNanos);
  }

  /** Records that {@code node} was heard at {@code nowNanos} (older observations are ignored). */
  public NodeTimeouts heard(String node, long nowNanos) {
    Long prev = lastHeard.get(node);
    if (prev != null && nowNanos - prev <= 0) return this;
    Map<String, Long> m = new TreeMap<>(lastHeard);
    m.put(node, nowNanos);
    return new NodeTimeouts(timeoutNanos, Map.copyOf(m), lost);
  }

  /**
   * This node itself did not run for {@code pauseNanos} (GC, CPU starvation, a frozen VM): it could
   * not hear anyone meanwhile, so that time is not counted as any peer's silence.
   */
  public NodeTimeouts paused(long pauseNanos) {
    if (pauseNanos <= 0 || lastHeard.isEmpty()) return this;
    Map<String, Long> m = new TreeMap<>();
    lastHeard.forEach((n, t) -> m.put(n, t + pauseNanos));
    return new NodeTimeouts(timeoutNanos, Map.copyOf(m), lost);
  }

  /** Stops tracking a node that left the cluster. */
  public NodeTimeouts forget(String node) {
    Map<String, Long> m = new TreeMap<>(lastHeard);
    m.remove(node);
    Set<String> l = new TreeSet<>(lost);
    l.remove(node);
    return new NodeTimeouts(timeoutNanos, Map.copyOf(m), Set.copyOf(l));
  }

  /** What changed at {@code nowNanos}, and when to look again at the latest. */
  public record Step(NodeTimeouts next, List<String> newlyLost, List<String> returned, long nextDeadlineNanos) {}

  /** Evaluates every tracked node at {@code nowNanos}. */
  public Step tick(long nowNanos) {
    Set<String> nowLost = new TreeSet<>();
    long next = nowNanos + timeoutNanos;
    for (var e : lastHeard.entrySet()) {
      long deadline = e.getValue() + timeoutNanos;
      if (nowNanos - deadline >= 0) nowLost.add(e.getKey());
      else if (deadline - next < 0) next = deadline;
    }
    List<String> newlyLost = new ArrayList<>();
    for (String n : nowLost) if (!lost.contains(n)) newlyLost.add(n);
    List<String> returned = new ArrayList<>();
    for (String n : lost) if (!nowLost.contains(n) && lastHeard.containsKey(n)) returned.add(n);
    return new Step(new NodeTimeouts(timeoutNanos, lastHeard, Set.copyOf(nowLost)), List.copyOf(newlyLost),
        List.copyOf(returned), next);
  }

  /** The node timeout in nanoseconds. */
  public long timeoutNanos() {
    return timeoutNanos;
  }

  /** Nodes lost as of the last {@link #tick}. */
  public Set<String> lost() {
    return lost;
  }

  /** Nanoseconds since {@code node} was last heard at {@code nowNanos}, or -1 if it is not tracked. */
  public long silenceNanos(String node, long nowNanos) {
    Long t = lastHeard.get(node);
    return t == null ? -1 : nowNanos - t;
  }
}
