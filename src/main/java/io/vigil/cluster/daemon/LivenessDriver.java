package io.vigil.cluster.daemon;

import io.vigil.cluster.liveness.Lease;
import io.vigil.cluster.liveness.LivenessListener;
import io.vigil.cluster.liveness.LivenessMonitor;
import io.vigil.cluster.liveness.NodeTimeouts;
import io.vigil.cluster.liveness.Quorum;
import io.vigil.cluster.raft.GroupInfo;
import io.vigil.cluster.raft.Peer;
import io.vigil.cluster.raft.RaftNode;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.NodeState;
import io.vigil.cluster.state.NodeStatus;
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
 */
final class LivenessDriver {
  private static final Logger LOG = LoggerFactory.getLogger(LivenessDriver.class);

  private final String self;
  private final RaftNode raft;
  private final Clock clock;
  private final LongSupplier nanos;
  private final Duration nodeTimeout;
  private final Lease lease;
  private final List<LivenessListener> listeners = new CopyOnWriteArrayList<>();
  private LivenessMonitor monitor;
  private Set<String> voters = Set.of();
  private volatile boolean hasQuorum;
  private final Set<String> pending = new HashSet<>();

  LivenessDriver(String self, RaftNode raft, Clock clock, LongSupplier nanos, Duration nodeTimeout, Lease lease) {
    this.self = self;
    this.raft = raft;
    this.clock = clock;
    this.nanos = nanos;
    this.nodeTimeout = nodeTimeout;
    this.lease = lease;
  }

  void addListener(LivenessListener l) {
    listeners.add(l);
  }

  boolean hasQuorum() {
    return hasQuorum;
  }

  /** One step; called every ~100 ms from the daemon's scheduler thread. */
  void tick() {
    try {
      GroupInfo g = raft.info();
      long now = nanos.getAsLong();
      Set<String> v = g.peers().stream().filter(p -> p.role() == Member.Role.VOTER).map(Peer::name).collect(Collectors.toSet());
      if (!v.equals(voters) || monitor == null) {
        voters = v;
        monitor = new LivenessMonitor(self, v.size() == 2 ? Quorum.twoNode(v) : Quorum.majority(v), NodeTimeouts.of(nodeTimeout), lease);
        monitor.expectVoters(now);
      }
      Set<String> acked = new HashSet<>();
      long oldest = now;
      for (var e : g.silenceMillis().entrySet()) {
        long heardAt = now - e.getValue() * 1_000_000L;
        monitor.heard(e.getKey(), heardAt);
        if (e.getValue() < nodeTimeout.toMillis()) {
          acked.add(e.getKey());
          oldest = Math.min(oldest, heardAt);
        }
      }
      if (g.isLeader() || !acked.isEmpty()) monitor.acknowledged(acked, oldest);
      List<LivenessMonitor.Signal> signals = monitor.tick(now);
      hasQuorum = monitor.hasQuorum();
      for (LivenessListener l : listeners) LivenessMonitor.deliver(signals, l);
      if (g.isLeader()) recordNodeStates(g, signals);
    } catch (Exception e) {
      LOG.debug("liveness tick failed: {}", e.toString());
    }
  }

  private void recordNodeStates(GroupInfo g, List<LivenessMonitor.Signal> signals) {
    var nodes = raft.localState().status().nodes();
    for (LivenessMonitor.Signal s : signals) {
      if (s instanceof LivenessMonitor.Signal.NodeLost l) propose(l.node(), NodeState.LOST, "not heard for " + (l.silentNanos() / 1_000_000) + " ms");
    }
    for (Peer p : g.peers()) {
      NodeStatus ns = nodes.get(p.name());
      boolean heard = p.name().equals(self) || !monitor.lostNodes().contains(p.name()) && g.silenceMillis().containsKey(p.name());
      if (heard && (ns == null || ns.state() == NodeState.LOST || ns.state() == NodeState.FENCED)) {
        propose(p.name(), NodeState.ONLINE, "heard by leader " + self);
      }
    }
  }

  private void propose(String node, NodeState state, String reason) {
    String key = node + "/" + state;
    synchronized (pending) {
      if (!pending.add(key)) return;
    }
    raft.submit(new Command.SetNodeState(node, state, reason, "node:" + self, clock.millis()))
        .whenComplete((r, e) -> {
          synchronized (pending) {
            pending.remove(key);
          }
        });
  }
}
