package io.vigil.cluster.daemon;

import io.vigil.cluster.liveness.HeardTimes;
import io.vigil.cluster.liveness.Lease;
import io.vigil.cluster.liveness.LivenessListener;
import io.vigil.cluster.liveness.LivenessMonitor;
import io.vigil.cluster.liveness.NodeTimeouts;
import io.vigil.cluster.liveness.PingSchedule;
import io.vigil.cluster.liveness.Quorum;
import io.vigil.cluster.raft.GroupInfo;
import io.vigil.cluster.raft.Peer;
import io.vigil.cluster.raft.RaftAccess;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.NodeStatus;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.model.ClusterProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds Ratis' view (follower silence on the leader, leader silence on a follower) into the pure
 * {@link LivenessMonitor} every tick, delivers its signals to the registered listeners and, on
 * the leader, records node state changes (ONLINE/LOST) in the replicated status.
 *
 * <p>Besides Ratis' own heartbeat (every 150 ms), with a node-timeout shorter than three such
 * heartbeats the leader pings every member ({@link PingSchedule}, {@link RaftAccess#ping}: five
 * times per node-timeout, over the same mutual TLS) and counts each answer as hearing it, so a
 * short node-timeout measures silence, not the heartbeat's period.
 *
 * <p>Only the leader hears every member, so node lost/returned signals are delivered on the
 * leader only; quorum gained/lost is delivered on every node. The node timeout is the
 * configuration's {@code node-timeout} property (default 500 ms), re-read when the epoch changes.
 */
final class LivenessDriver {
  private static final Logger LOG = LoggerFactory.getLogger(LivenessDriver.class);

  /** How often Ratis' leader sends its heartbeat: half the shortest election timeout. */
  static final Duration RAFT_HEARTBEAT = io.vigil.cluster.raft.VigilRaftConfig.DEFAULTS.electionTimeoutMin().dividedBy(2);
  /** How long followers wait for a new leader before counting quorum lost (VigilRaftConfig's longest election timeout). */
  static final Duration ELECTION_GRACE = io.vigil.cluster.raft.VigilRaftConfig.DEFAULTS.electionTimeoutMax();
  private final String self;
  private final RaftAccess raft;
  private final Clock clock;
  private final LongSupplier nanos;
  /** A member added while this node leads gets this long to catch up before it can be lost. */
  static final Duration JOIN_GRACE = Daemon.JOIN_GRACE;

  private volatile Duration nodeTimeout;
  /**
   * The members as last seen (none before the first tick): a new one gets a join grace, and a change
   * closes the ping connections of those no longer in it.
   */
  private Set<Peer> members = Set.of();
  /** When each peer was last heard in any role, so a new leader does not restart the clocks. */
  private final HeardTimes heard = new HeardTimes();
  private long configEpoch = -1;
  private boolean wasLeader;
  private final Lease lease;
  private final List<LivenessListener> listeners = new CopyOnWriteArrayList<>();
  /** Records a LOST mark (by default alone; the coordinator adds the plan it makes: {@link #recordLostWith}). */
  private volatile java.util.function.Function<Command.SetNodeState, java.util.concurrent.CompletableFuture<io.vigil.cluster.state.Result>> lostRecorder;
  private LivenessMonitor monitor;
  private Set<String> voters = Set.of();
  private volatile boolean hasQuorum;
  /** This node's own lease end (monotonic nanos), or null before its first quorum contact; read by the watchdog thread. */
  private volatile Long leaseEnd;
  private final Set<String> pending = new HashSet<>();
  private final java.util.Map<String, Long> joinGraceUntil = new java.util.HashMap<>();
  /** When the previous tick ran (0 before the first) and the period it expected, to notice this daemon's own pauses. */
  private long lastTickNanos;
  private long lastPeriodNanos;
  /** A pause this long or longer is logged as a warning (shorter ones at debug level: they are frequent at a 10 ms tick). */
  static final long PAUSE_WARNING_NANOS = Duration.ofMillis(100).toNanos();
  /** When this leader pings whom, and their answers. */
  private final PingSchedule pings;
  /** One ping's outcome: {@code peer} answered the ping sent at {@code sentNanos} at {@code atNanos}, or did not ({@code ok} false). */
  private record PingOutcome(String peer, boolean ok, long sentNanos, long atNanos) {}
  /** Ping outcomes from Ratis' client threads, taken in by the next tick. */
  private final java.util.Queue<PingOutcome> pingOutcomes = new java.util.concurrent.ConcurrentLinkedQueue<>();

  LivenessDriver(String self, RaftAccess raft, Clock clock, LongSupplier nanos, Duration nodeTimeout, Lease lease) {
    this.self = self;
    this.raft = raft;
    this.clock = clock;
    this.nanos = nanos;
    this.nodeTimeout = nodeTimeout;
    this.lease = lease;
    this.pings = new PingSchedule(nodeTimeout);
  }

  /**
   * How long until the next tick: a tenth of the node-timeout, within [{@link Daemon#LIVENESS_TICK},
   * {@link Daemon#LIVENESS_TICK_MAX}] (50 ms for the default 500 ms, 10 ms for 100 ms).
   */
  static Duration tickPeriod(Duration nodeTimeout) {
    Duration d = nodeTimeout.dividedBy(10);
    if (d.compareTo(Daemon.LIVENESS_TICK) < 0) return Daemon.LIVENESS_TICK;
    return d.compareTo(Daemon.LIVENESS_TICK_MAX) > 0 ? Daemon.LIVENESS_TICK_MAX : d;
  }

  /** The period until the next tick, for the node-timeout in force. */
  Duration tickPeriod() {
    return tickPeriod(nodeTimeout);
  }

  /**
   * A tick later than its period by more than this is a pause of this daemon (GC, CPU starvation, a
   * frozen VM): two periods, or a quarter of the node-timeout if that is longer, at most 100 ms.
   */
  static long pauseThresholdNanos(Duration nodeTimeout) {
    long quarter = Math.min(nodeTimeout.toNanos() / 4, PAUSE_WARNING_NANOS);
    return Math.max(2 * tickPeriod(nodeTimeout).toNanos(), quarter);
  }

  void addListener(LivenessListener l) {
    listeners.add(l);
  }

  /** Who records the LOST marks this leader makes (the coordinator, with the plan that follows from each). */
  void recordLostWith(java.util.function.Function<Command.SetNodeState, java.util.concurrent.CompletableFuture<io.vigil.cluster.state.Result>> recorder) {
    lostRecorder = recorder;
  }

  boolean hasQuorum() {
    return hasQuorum;
  }

  /** When this node's own lease ends (monotonic nanos, as the ticker), empty before its first quorum contact. */
  java.util.OptionalLong ownLeaseEnd() {
    Long l = leaseEnd;
    return l == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(l);
  }

  /** The node timeout in force (from the committed configuration, else the default). */
  Duration nodeTimeout() {
    return nodeTimeout;
  }

  /** One step; called every {@link #tickPeriod()} from the daemon's scheduler thread. */
  void tick() {
    try {
      GroupInfo g = raft.info();
      long now = nanos.getAsLong();
      Set<String> v = g.peers().stream().filter(p -> p.role() == Member.Role.VOTER).map(Peer::name).collect(Collectors.toSet());
      long pause = lastTickNanos == 0 ? 0 : now - lastTickNanos - lastPeriodNanos;
      lastTickNanos = now;
      lastPeriodNanos = tickPeriod().toNanos();
      boolean timeoutChanged = maybeReadNodeTimeout();
      if (timeoutChanged) pings.interval(nodeTimeout);
      if (g.isLeader() != wasLeader) pings.reset();
      if (!v.equals(voters) || monitor == null || g.isLeader() != wasLeader || timeoutChanged) {
        heard.role(g.isLeader());
        voters = v;
        wasLeader = g.isLeader();
        LivenessMonitor next = new LivenessMonitor(self, v.size() == 2 ? Quorum.twoNode(v) : Quorum.majority(v),
            NodeTimeouts.of(nodeTimeout), lease);
        if (monitor != null) next.carryQuorumFrom(monitor);
        if (!g.isLeader()) next.quorumGrace(ELECTION_GRACE.toNanos());
        monitor = next;
        if (g.isLeader()) {
          // Members known before count from when they were last heard (or now); a member still in
          // its join grace keeps it (below).
          for (Peer p : g.peers()) {
            if (p.name().equals(self)) continue;
            monitor.heard(p.name(), heard.lastHeard(p.name()).orElse(now));
          }
        }
      }
      if (pause > pauseThresholdNanos(nodeTimeout)) {
        // Corosync's "process pause detected": what this daemon did not see while it was not
        // running is not the peers' silence.
        if (pause >= PAUSE_WARNING_NANOS) {
          LOG.warn("vigild did not run for {} ms (GC, CPU starvation or a frozen VM): peers' silence in that time is not counted",
              pause / 1_000_000);
        } else {
          LOG.debug("vigild did not run for {} ms: peers' silence in that time is not counted", pause / 1_000_000);
        }
        monitor.paused(pause);
        heard.paused(pause);
      }
      // A member that just joined is still catching up (log or snapshot transfer): it must not be
      // called lost (and fenced) for that. Its grace is remembered by name, so it survives the
      // monitor being rebuilt when the new configuration commits (Ratis lists the peer first).
      Set<String> known = members.stream().map(Peer::name).collect(Collectors.toSet());
      java.util.Map<String, Peer> others = new java.util.HashMap<>();
      for (Peer p : g.peers()) {
        if (p.name().equals(self)) continue;
        others.put(p.name(), p);
        if (!known.isEmpty() && !known.contains(p.name())) joinGraceUntil.put(p.name(), now + JOIN_GRACE.toNanos());
        Long until = joinGraceUntil.get(p.name());
        if (until == null) continue;
        if (until - now <= 0) joinGraceUntil.remove(p.name());
        else if (g.isLeader()) monitor.heard(p.name(), until);
      }
      if (!members.equals(Set.copyOf(g.peers()))) {
        raft.keepPingingOnly(Set.copyOf(others.values())); // a removed member's ping connection is closed
        members = Set.copyOf(g.peers());
      }
      Set<String> acked = new HashSet<>();
      long oldest = now;
      for (var e : g.silenceMillis().entrySet()) {
        var sampled = heard.sample(e.getKey(), e.getValue(), now);
        if (sampled.isEmpty()) continue;
        long heardAt = sampled.getAsLong();
        monitor.heard(e.getKey(), heardAt);
        if (e.getValue() < nodeTimeout.toMillis()) {
          acked.add(e.getKey());
          oldest = Math.min(oldest, heardAt);
        }
      }
      for (var e : takePings(g.isLeader(), others, now).entrySet()) {
        // An answer within node-timeout is also a quorum contact, counted from when its ping was sent.
        if (now - e.getValue().atNanos() >= nodeTimeout.toNanos()) continue;
        acked.add(e.getKey());
        oldest = Math.min(oldest, e.getValue().sentNanos());
      }
      if (!g.isLeader() && !g.leader().isEmpty() && acked.contains(g.leader())) {
        // A follower hears only its leader, and a leader keeps leading only while a majority
        // answers it (it steps down otherwise): hearing the leader is hearing a quorum.
        acked = new HashSet<>(v);
      }
      // A node just elected has no trusted answer yet: until the first one it keeps the election
      // grace it had as a follower (its old leader may have died more than a node timeout before
      // the election ended), else it counts quorum lost at once and stops its resources.
      if (g.isLeader()) monitor.quorumGrace(heard.anyTrusted() ? 0 : ELECTION_GRACE.toNanos());
      if (g.isLeader() || !acked.isEmpty()) monitor.acknowledged(acked, oldest);
      List<LivenessMonitor.Signal> signals = monitor.tick(now);
      if (!g.isLeader()) {
        signals = signals.stream().filter(x -> x instanceof LivenessMonitor.Signal.QuorumGained
            || x instanceof LivenessMonitor.Signal.QuorumLost).toList();
      }
      hasQuorum = monitor.hasQuorum();
      long own = monitor.ownExpiryNanos();
      if (own != -1) leaseEnd = own;
      for (LivenessListener l : listeners) LivenessMonitor.deliver(signals, l);
      if (g.isLeader()) recordNodeStates(g, signals);
    } catch (java.io.IOException e) {
      LOG.debug("liveness tick: raft not ready: {}", e.toString());
    } catch (RuntimeException e) {
      LOG.warn("liveness tick failed: {}", e.toString());
    }
  }

  /**
   * Takes in the answers to earlier pings (an answer is hearing the peer) and, on the leader, sends
   * the pings now due to {@code others} (the members but this node). Returns each member's latest
   * answer (on the leader; none on a follower). The answers count only while this node leads: they
   * were reset when it started.
   */
  private java.util.Map<String, PingSchedule.Answer> takePings(boolean leader, java.util.Map<String, Peer> others, long now) {
    for (var o = pingOutcomes.poll(); o != null; o = pingOutcomes.poll()) {
      if (o.ok()) pings.answered(o.peer(), o.sentNanos(), o.atNanos());
      else pings.failed(o.peer());
    }
    if (!leader) return java.util.Map.of();
    java.util.Map<String, PingSchedule.Answer> answers = new java.util.HashMap<>();
    for (String name : others.keySet()) {
      pings.lastAnswer(name).ifPresent(a -> {
        answers.put(name, a);
        heard.answered(name, a.atNanos());
        monitor.heard(name, a.atNanos());
      });
    }
    if (!PingSchedule.useful(nodeTimeout, RAFT_HEARTBEAT)) return answers;
    for (String name : pings.due(others.keySet(), now)) {
      raft.ping(others.get(name)).whenComplete((ok, e) -> {
        // Not answered (or a Raft access that cannot ping): Raft's own heartbeat still counts.
        if (e != null) LOG.debug("ping of {} not answered: {}", name, e.toString());
        pingOutcomes.add(new PingOutcome(name, e == null, now, nanos.getAsLong()));
      });
    }
    return answers;
  }

  /** Reads node-timeout from the committed configuration when its epoch changed; true if it changed. */
  private boolean maybeReadNodeTimeout() {
    var state = raft.localState();
    if (state.epoch() == configEpoch) return false;
    configEpoch = state.epoch();
    Duration next = Daemon.NODE_TIMEOUT;
    if (!state.config().yaml().isEmpty()) {
      var cfg = new ConfigLoader(AgentCatalog.NONE).check(state.config().yaml(), "epoch " + configEpoch).config();
      if (cfg.isPresent()) next = cfg.get().properties().getOrDefault(ClusterProperties.NODE_TIMEOUT);
    }
    if (next.isZero() || next.isNegative()) next = Daemon.NODE_TIMEOUT;
    boolean changed = !next.equals(nodeTimeout);
    nodeTimeout = next;
    return changed;
  }

  private void recordNodeStates(GroupInfo g, List<LivenessMonitor.Signal> signals) {
    var nodes = raft.localState().status().nodes();
    for (LivenessMonitor.Signal s : signals) {
      if (s instanceof LivenessMonitor.Signal.NodeLost l) propose(l.node(), NodeState.LOST, "not heard for " + (l.silentNanos() / 1_000_000) + " ms");
    }
    for (Peer p : g.peers()) {
      NodeStatus ns = nodes.get(p.name());
      Long silence = g.silenceMillis().get(p.name());
      boolean heard = p.name().equals(self) || !monitor.lostNodes().contains(p.name()) && silence != null;
      // Back from LOST or FENCED only on a message received after it was marked so: Ratis' last
      // answer from a node can predate its fencing by a few hundred ms, and a fenced node is off.
      boolean fresh = p.name().equals(self) || ns == null || silence != null && clock.millis() - silence >= ns.sinceMillis();
      if (heard && fresh && (ns == null || ns.state() == NodeState.LOST || ns.state() == NodeState.FENCED)) {
        propose(p.name(), NodeState.ONLINE, "heard by leader " + self);
      }
    }
  }

  private void propose(String node, NodeState state, String reason) {
    String key = node + "/" + state;
    synchronized (pending) {
      if (!pending.add(key)) return;
    }
    var mark = new Command.SetNodeState(node, state, reason, "node:" + self, clock.millis());
    var recorder = lostRecorder;
    (state == NodeState.LOST && recorder != null ? recorder.apply(mark) : raft.submit(mark))
        .whenComplete((r, e) -> {
          synchronized (pending) {
            pending.remove(key);
          }
        });
  }
}
