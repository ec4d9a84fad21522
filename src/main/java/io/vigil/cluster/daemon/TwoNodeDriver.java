package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vigil.cluster.coordinator.EngineFencer;
import io.vigil.cluster.coordinator.EpochConfig;
import io.vigil.cluster.coordinator.Fencer;
import io.vigil.cluster.liveness.HeardTimes;
import io.vigil.cluster.liveness.TwoNodeTakeover;
import io.vigil.cluster.raft.Generation;
import io.vigil.cluster.raft.GroupInfo;
import io.vigil.cluster.raft.Peer;
import io.vigil.cluster.raft.RaftNode;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Member;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the two-node takeover of a pure two-voter group ({@link TwoNodeTakeover} decides): tracks
 * when the peer was last heard, fences it through the configured topology when it has been silent
 * for node-timeout, and on success moves the cluster to a one-voter group ({@link RaftNode#takeOver}).
 * A node whose peer already moved to a newer generation without it (it was fenced) discards its
 * old group and waits to be added again ({@link RaftNode#rejoin}). One thread; fencing blocks it.
 */
final class TwoNodeDriver implements LocalReport, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TwoNodeDriver.class);
  static final Duration TICK = Duration.ofMillis(100);
  /** How often a node without a leader asks its peer which group it runs. */
  static final Duration GENERATION_CHECK = Duration.ofSeconds(2);

  private final String self;
  private final RaftNode raft;
  private final Clock clock;
  private final LongSupplier nanos;
  private final Supplier<Duration> nodeTimeout;
  private final EpochConfig configs = new EpochConfig();
  private final Fencer fencer;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("vigil-two-node").unstarted(r));

  private String peer;
  /** When the peer was heard since this daemon started (none: wait for all), as the liveness driver tracks it. */
  private final HeardTimes heard = new HeardTimes();
  private long lastTickNanos;
  private int failedAttempts;
  private long lastFailureNanos;
  private long lastGenerationCheckNanos;
  private boolean checkedOnce;
  private volatile String lastDecision = "";
  /** The last takeover or rejoin of this daemon, kept for status after the group changed. */
  private volatile String lastEvent = "";
  /** Why this two-voter group could not take over if the peer were lost, or "" (shown in status at all times). */
  private volatile String unsafeSetup = "";

  TwoNodeDriver(String self, RaftNode raft, Clock clock, LongSupplier nanos, Supplier<Duration> nodeTimeout) {
    this.self = self;
    this.raft = raft;
    this.clock = clock;
    this.nanos = nanos;
    this.nodeTimeout = nodeTimeout;
    this.fencer = new EngineFencer(() -> configs.last(), "two-node-takeover:" + self, clock);
  }

  void start() {
    loop.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      step();
    } catch (IOException e) {
      LOG.debug("two-node: raft not ready: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("two-node step failed: {}", e.toString());
    }
  }

  private void step() throws IOException, InterruptedException {
    GroupInfo g = raft.info();
    long now = nanos.getAsLong();
    long pause = lastTickNanos == 0 ? 0 : now - lastTickNanos - TICK.toNanos();
    lastTickNanos = now;
    Set<String> voters = g.peers().stream().filter(p -> p.role() == Member.Role.VOTER).map(Peer::name).collect(Collectors.toSet());
    String p = TwoNodeTakeover.peerOf(self, voters);
    if (p == null) {
      forgetPeer();
      lastDecision = "";
      unsafeSetup = "";
      return;
    }
    if (!p.equals(peer)) {
      forgetPeer();
      peer = p;
      failedAttempts = 0;
    }
    heard.role(g.isLeader());
    // This daemon's own pause (GC, a frozen VM) is not the peer's silence.
    if (pause > 2 * TICK.toNanos()) heard.paused(pause);
    Long silence = g.silenceMillis().get(p);
    if (silence != null) heard.sample(p, silence, now);
    OptionalLong heardAt = heard.lastHeard(p);
    OptionalLong peerSilence = heardAt.isPresent() ? OptionalLong.of(now - heardAt.getAsLong()) : OptionalLong.empty();
    long nt = TwoNodeTakeover.silenceLimit(nodeTimeout.get(), LivenessDriver.RAFT_HEARTBEAT).toNanos();
    if (peerSilence.isPresent() && peerSilence.getAsLong() < nt) failedAttempts = 0;
    ClusterState state = raft.localState();
    Optional<ClusterConfig> config = configs.of(state);
    boolean enabled = config.map(c -> c.properties().getOrDefault(ClusterProperties.FENCING_ENABLED)).orElse(false);
    // Only a cluster that can take over can have left this node behind; only a node that hears no
    // leader and has not heard its peer since it started (it was fenced, or both were down) asks.
    if (enabled && g.leader().isEmpty() && peerSilence.isEmpty()) maybeCheckGeneration(g, p, now);
    boolean fenceable = config.map(c -> canFence(c, p)).orElse(false);
    unsafeSetup = config.isEmpty() ? "" : TwoNodeTakeover.setupProblem(p, enabled, fenceable);
    boolean paused = state.fencingPauses().stream().anyMatch(x -> x.covers(p, clock.millis()));
    TwoNodeTakeover.Decision d = TwoNodeTakeover.decide(new TwoNodeTakeover.Inputs(self, voters, peerSilence, nt, enabled,
        fenceable, paused, failedAttempts, now - lastFailureNanos));
    String text = switch (d) {
      case TwoNodeTakeover.Decision.Wait w -> w.why();
      case TwoNodeTakeover.Decision.FencePeer f -> "fencing " + f.peer() + ": " + f.why();
    };
    if (!text.replaceAll("[0-9]+ ms", "").equals(lastDecision.replaceAll("[0-9]+ ms", ""))) LOG.info("two-node: {}", text);
    lastDecision = text;
    if (d instanceof TwoNodeTakeover.Decision.FencePeer f) fenceAndTakeOver(f, g.term());
  }

  private void fenceAndTakeOver(TwoNodeTakeover.Decision.FencePeer f, long term) throws IOException, InterruptedException {
    long generation = raft.generation().number();
    String failure = fencer.fence(f.peer(), "two-node takeover: " + f.why());
    if (failure != null) {
      failedAttempts++;
      lastFailureNanos = nanos.getAsLong();
      lastDecision = "fencing " + f.peer() + " failed (attempt " + failedAttempts + "): " + failure + "; this node runs nothing new";
      LOG.warn("two-node: {}", lastDecision);
      return;
    }
    if (raft.generation().number() != generation) return;
    LOG.warn("two-node: {} fenced (raft term {}): taking over as the only voter", f.peer(), term);
    Generation next = raft.takeOver(f.peer(), "topology", clock.millis());
    lastEvent = "took over from " + f.peer() + " (fenced): raft generation " + next.number() + ", one voter";
    lastDecision = "";
    forgetPeer();
  }

  /** A node that hears no leader asks its peer whether the cluster moved on without it. */
  private void maybeCheckGeneration(GroupInfo g, String p, long now) throws IOException {
    if (checkedOnce && now - lastGenerationCheckNanos < GENERATION_CHECK.toNanos()) return;
    checkedOnce = true;
    lastGenerationCheckNanos = now;
    Peer peerPeer = g.peers().stream().filter(x -> x.name().equals(p)).findFirst().orElseThrow();
    Set<org.apache.ratis.protocol.RaftGroupId> groups;
    try {
      groups = raft.peerGroups(peerPeer);
    } catch (IOException | RuntimeException e) {
      LOG.debug("two-node: cannot ask {} for its raft groups: {}", p, e.toString());
      return;
    }
    String cluster = raft.localState().clusterName();
    Generation own = raft.generation();
    if (groups.contains(Generation.groupId(cluster, own.number()))) return;
    OptionalLong newer = Generation.newerAt(cluster, own.number(), groups);
    if (newer.isEmpty()) return;
    Peer me = g.peers().stream().filter(x -> x.name().equals(self)).findFirst().orElseThrow();
    lastDecision = p + " runs raft generation " + newer.getAsLong() + " without this node (it was fenced): rejoining;"
        + " add it again with 'vigil node add " + self + " " + me.address() + "' on " + p;
    LOG.warn("two-node: {}", lastDecision);
    lastEvent = lastDecision;
    raft.rejoin(newer.getAsLong(), List.of(peerPeer, me));
    forgetPeer();
  }

  /** No peer tracked: the next one counts as never heard until it answers (wait for all). */
  private void forgetPeer() {
    if (peer != null) heard.forget(peer);
    peer = null;
  }

  private static boolean canFence(ClusterConfig config, String node) {
    return !io.vigil.fencing.topology.Topology.of(config, io.vigil.fencing.device.DeviceFactory.settingsOf(config)).plan(node).isEmpty();
  }

  @Override
  public String name() {
    return "twoNode";
  }

  @Override
  public JsonNode json() {
    var n = JsonNodeFactory.instance.objectNode();
    n.put("generation", raft.generation().number());
    n.put("state", lastDecision);
    n.put("lastEvent", lastEvent);
    n.put("warning", unsafeSetup);
    return n;
  }

  @Override
  public List<String> summary() {
    String s = lastDecision;
    long gen = raft.generation().number();
    // Quiet while both nodes are fine; a race, a takeover, a rejoin or a later generation is shown.
    boolean notable = s.startsWith("fencing") || s.contains("rejoining") || s.contains("silent");
    String unsafe = unsafeSetup;
    String event = lastEvent;
    if (!notable && gen == 0 && unsafe.isEmpty() && event.isEmpty()) return List.of();
    if (!notable) s = "";
    if (!event.isEmpty() && !s.equals(event)) s = s.isEmpty() ? event : event + "; " + s;
    if (!unsafe.isEmpty()) s = s.isEmpty() ? "WARNING: " + unsafe : s + "; WARNING: " + unsafe;
    return List.of("two-node: raft generation " + gen + (s.isEmpty() ? "" : "; " + s));
  }

  @Override
  public String prometheus() {
    return "# HELP vigil_raft_generation Raft generation of this node (grows with each two-node takeover).\n"
        + "# TYPE vigil_raft_generation gauge\nvigil_raft_generation " + raft.generation().number() + "\n";
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
