package io.vigil.cluster.liveness;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Combines node timeouts, quorum and the local lease into one pure step: the driver feeds it what
 * was heard and acknowledged and when (monotonic nanoseconds); {@link #tick} returns the signals to
 * deliver to {@link LivenessListener}s. Not thread-safe: one driver thread owns it.
 *
 * <p>This node has quorum while a message it sent less than node-timeout ago was acknowledged by
 * a quorum of voters (itself included). When that stops being true it must stop its resources by
 * {@link Lease#mustStopBy} of the last acknowledged send.
 */
public final class LivenessMonitor {
  /** An edge the listeners must hear about. */
  public sealed interface Signal {
    /** A peer was not heard from for node-timeout. */
    record NodeLost(String node, long silentNanos) implements Signal {}

    /** A lost peer was heard from again. */
    record NodeReturned(String node) implements Signal {}

    /** This node reaches a quorum again. */
    record QuorumGained() implements Signal {}

    /** This node lost quorum and must stop resources by the given monotonic times. */
    record QuorumLost(long mustStopByNanos, long ownExpiryNanos) implements Signal {}
  }

  private final String self;
  private final Lease lease;
  private NodeTimeouts timeouts;
  private Quorum quorum;
  private boolean hasQuorum;
  private boolean contacted;
  private long lastContactSent;
  private long quorumGraceNanos;
  /** Pauses of this node since its last quorum contact, at most {@link #MAX_PAUSE_CREDIT_NANOS}. */
  private long pauseCreditNanos;

  /**
   * How much of this node's own pauses may postpone its loss of quorum. Bounded so that the node
   * still notices the loss long before its lease ends (the lease itself is never extended).
   */
  public static final long MAX_PAUSE_CREDIT_NANOS = 1_000_000_000L;

  public LivenessMonitor(String self, Quorum quorum, NodeTimeouts timeouts, Lease lease) {
    this.self = self;
    this.quorum = quorum;
    this.timeouts = timeouts;
    this.lease = lease;
  }

  /**
   * Extra time without quorum contact before quorum counts as lost. A follower's contact is its
   * leader; when the leader dies the others elect a new one within an election timeout, and a
   * follower connected to them must not stop its resources meanwhile. Its lease still runs from
   * the last contact, so a follower that really is cut off has less time to stop.
   */
  public void quorumGrace(long nanos) {
    if (nanos < 0) throw new IllegalArgumentException("quorum grace " + nanos + " ns is negative");
    this.quorumGraceNanos = nanos;
  }

  /**
   * Takes over what {@code previous} knew of this node's own quorum contact. The driver builds a
   * new monitor when the voters or this node's role change; a leader that steps down because a
   * partition cut it off must still see its quorum run out (and stop its resources), not start
   * afresh as if it never had one.
   */
  public void carryQuorumFrom(LivenessMonitor previous) {
    this.hasQuorum = previous.hasQuorum;
    this.contacted = previous.contacted;
    this.lastContactSent = previous.lastContactSent;
    this.pauseCreditNanos = previous.pauseCreditNanos;
  }

  /**
   * This node did not run for {@code pauseNanos}: its peers' silence during the pause is not
   * counted (they may have answered; nobody read it), and the pause postpones the loss of quorum
   * by up to {@link #MAX_PAUSE_CREDIT_NANOS}, so the first look after waking does not stop the
   * resources before the answers that arrived meanwhile are read. The lease keeps running in real
   * time: a node paused past its lease still must stop by {@link Lease#mustStopBy}.
   */
  public void paused(long pauseNanos) {
    if (pauseNanos <= 0) return;
    timeouts = timeouts.paused(pauseNanos);
    pauseCreditNanos = Math.min(MAX_PAUSE_CREDIT_NANOS, pauseCreditNanos + pauseNanos);
  }

  /** Starts tracking every voter as heard now, so a voter never heard from is lost after node-timeout. */
  public void expectVoters(long nowNanos) {
    for (String v : quorum.voters()) if (!v.equals(self)) timeouts = timeouts.expect(v, nowNanos);
  }

  /** Records that {@code peer} was heard at {@code nowNanos}. */
  public void heard(String peer, long nowNanos) {
    if (!peer.equals(self)) timeouts = timeouts.heard(peer, nowNanos);
  }

  /** Records that a message this node sent at {@code sentNanos} was acknowledged by {@code peers}. */
  public void acknowledged(Set<String> peers, long sentNanos) {
    Set<String> with = new HashSet<>(peers);
    with.add(self);
    quorum = quorum.observe(with);
    if (quorum.hasQuorum(with) && (!contacted || sentNanos - lastContactSent > 0)) {
      contacted = true;
      lastContactSent = sentNanos;
      pauseCreditNanos = 0;
    }
  }

  /** Evaluates at {@code nowNanos}; returns the signals to deliver, in order. */
  public List<Signal> tick(long nowNanos) {
    // The only voter is a majority by itself, leader yet or not (a one-node cluster, or a two-node
    // takeover's new group while it elects itself): it cannot be cut off from a quorum.
    if (quorum.voters().equals(Set.of(self))) acknowledged(Set.of(), nowNanos);
    List<Signal> out = new ArrayList<>();
    NodeTimeouts.Step step = timeouts.tick(nowNanos);
    timeouts = step.next();
    for (String n : step.newlyLost()) out.add(new Signal.NodeLost(n, timeouts.silenceNanos(n, nowNanos)));
    for (String n : step.returned()) out.add(new Signal.NodeReturned(n));
    boolean now = contacted && nowNanos - lastContactSent < timeouts.timeoutNanos() + quorumGraceNanos + pauseCreditNanos;
    if (now && !hasQuorum) {
      out.add(new Signal.QuorumGained());
    } else if (!now && hasQuorum) {
      out.add(new Signal.QuorumLost(lease.mustStopBy(lastContactSent), lease.ownExpiry(lastContactSent)));
    }
    hasQuorum = now;
    return out;
  }

  /** Delivers signals to a listener in order. */
  public static void deliver(List<Signal> signals, LivenessListener l) {
    for (Signal s : signals) {
      switch (s) {
        case Signal.NodeLost x -> l.nodeLost(x.node(), x.silentNanos());
        case Signal.NodeReturned x -> l.nodeReturned(x.node());
        case Signal.QuorumGained x -> l.quorumGained();
        case Signal.QuorumLost x -> l.quorumLost(x.mustStopByNanos(), x.ownExpiryNanos());
      }
    }
  }

  /** Local monotonic time at which this node's own lease ends ({@link Lease#ownExpiry}), or -1 before its first quorum contact. */
  public long ownExpiryNanos() {
    return contacted ? lease.ownExpiry(lastContactSent) : -1;
  }

  /** Whether this node had quorum at the last tick. */
  public boolean hasQuorum() {
    return hasQuorum;
  }

  /** Peers lost at the last tick. */
  public Set<String> lostNodes() {
    return timeouts.lost();
  }
}
