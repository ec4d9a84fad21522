package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vigil.cluster.liveness.Lease;
import io.vigil.cluster.liveness.LivenessListener;
import io.vigil.cluster.raft.Peer;
import io.vigil.cluster.raft.RaftNode;
import io.vigil.cluster.raft.StateListener;
import io.vigil.cluster.raft.VigilRaftConfig;
import io.vigil.cluster.security.EnrollmentServer;
import io.vigil.cluster.security.NodeCredentials;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Result;
import io.vigil.exec.ActionObserver;
import io.vigil.fencing.watchdog.SelfFencer;
import io.vigil.fencing.watchdog.WatchdogSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vigild: one per node. Starts the Raft node with the node's certificates, the enrollment server
 * (on nodes holding the CA), the control socket and the liveness driver. The coordinator and
 * fencing plug in through {@link #addStateListener} and {@link #addLivenessListener}, and change
 * the replicated state only through {@link #submit}.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
  /**
   * How often liveness is evaluated (and the leader's pings sent), at the shortest: a tenth of the
   * node-timeout within [LIVENESS_TICK, LIVENESS_TICK_MAX] ({@code LivenessDriver.tickPeriod}).
   */
  public static final Duration LIVENESS_TICK = Duration.ofMillis(10);
  public static final Duration LIVENESS_TICK_MAX = Duration.ofMillis(50);
  /** Default node-timeout (the cluster property node-timeout overrides it once the coordinator reads it). */
  public static final Duration NODE_TIMEOUT = Duration.ofMillis(500);
  /** A member added less than this ago is not declared lost: it may still be catching up on the log. */
  public static final Duration JOIN_GRACE = Duration.ofSeconds(10);

  private final Path stateDir;
  private final NodeIdentity id;
  private final NodeCredentials creds;
  private final RaftNode raft;
  private final Clock clock;
  private final LivenessDriver liveness;
  /** The fencing-won takeover of a pure two-voter group (idle in any other group). */
  private final TwoNodeDriver twoNode;
  private final ScheduledExecutorService scheduler;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private EnrollmentServer enrollment;
  private ControlServer control;
  private ControlApi api;
  private RestApi rest;
  private final java.util.List<LocalReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final WatchdogSettings watchdog;
  private final LongSupplier nanos;
  private final Lease lease = Lease.defaults();
  private SelfFencer selfFencer;
  /** The replicated configuration, parsed once per epoch, for the watchdog's feeding. */
  private final io.vigil.cluster.coordinator.EpochConfig configs = new io.vigil.cluster.coordinator.EpochConfig();
  private ScheduledExecutorService feeding;
  private volatile String watchdogStatus = "off";

  public Daemon(Path stateDir, VigilRaftConfig config, Clock clock, LongSupplier nanos) throws IOException {
    this(stateDir, config, clock, nanos, WatchdogSettings.DEFAULTS);
  }

  /** A daemon whose self-fencing watchdog follows {@code watchdog}. */
  public Daemon(Path stateDir, VigilRaftConfig config, Clock clock, LongSupplier nanos, WatchdogSettings watchdog)
      throws IOException {
    if (watchdog.mode() != WatchdogSettings.Mode.OFF && watchdog.timeout().toNanos() >= lease.ownExpiry(0)) {
      throw new IllegalArgumentException("watchdog timeout " + watchdog.timeout().toMillis() + " ms must be shorter than the lease ("
          + lease.ownExpiry(0) / 1_000_000 + " ms after the last quorum contact)");
    }
    this.watchdog = watchdog;
    this.nanos = nanos;
    this.stateDir = StateDir.prepare(stateDir);
    this.id = NodeIdentity.load(stateDir);
    this.creds = NodeCredentials.load(stateDir);
    this.clock = clock;
    this.raft = new RaftNode(id.cluster(), id.self(), id.peers(), StateDir.raft(stateDir), creds, config);
    this.liveness = new LivenessDriver(id.node(), raft, clock, nanos, NODE_TIMEOUT, lease);
    this.twoNode = new TwoNodeDriver(id.node(), raft, clock, nanos, liveness::nodeTimeout);
    reports.add(twoNode);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("vigil-liveness").unstarted(r));
  }

  /** One liveness tick, then the next one after the period the node-timeout in force asks for. */
  private void livenessTick() {
    liveness.tick();
    try {
      scheduler.schedule(this::livenessTick, liveness.tickPeriod().toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the daemon is stopping
    }
  }

  /**
   * The agents {@code vigil apply} checks configurations against on this node (the launcher sets the
   * ones its executor runs, once started; until then fence agents only).
   */
  public void checkAgentsWith(io.vigil.config.AgentCatalog agents) {
    api.checkAgentsWith(agents);
  }

  /** Starts everything; returns once the control socket accepts requests. */
  public void start() throws IOException {
    raft.start();
    if (creds.authority().isPresent() && !id.enrollAddress().isEmpty()) {
      Peer e = new Peer("enroll", id.enrollAddress(), io.vigil.cluster.state.Member.Role.VOTER);
      enrollment = new EnrollmentServer(new InetSocketAddress(e.host(), e.port()), creds, this::redeem, new Info(), clock);
    }
    scheduler.execute(this::livenessTick);
    twoNode.start();
    startWatchdog();
    api = new ControlApi(id, creds, raft, liveness, clock, reports);
    api.watchdogStatus(this::watchdogStatus);
    control = new ControlServer(StateDir.socket(stateDir), api);
    LOG.info("vigild {} of cluster {} started: raft {}, control {}", id.node(), id.cluster(), id.address(), StateDir.socket(stateDir));
  }

  /**
   * Self-fencing: the watchdog (device, else supervisor) is armed once this node first holds a lease and fed
   * from then on only while its own lease outlasts the watchdog timeout, so it acts by the lease end at the
   * latest, before any survivor may trust the lease ({@link Lease#peerExpiry}).
   */
  private void startWatchdog() {
    if (watchdog.mode() == WatchdogSettings.Mode.OFF) {
      LOG.warn("self-fencing watchdog is off: a frozen or killed vigild leaves its resources running");
      watchdogStatus = "off (--watchdog off): a frozen or killed vigild leaves its resources running";
      return;
    }
    selfFencer = SelfFencer.of(watchdog, StateDir.supervisor(stateDir));
    feeding = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("vigil-watchdog").unstarted(r));
    feeding.execute(this::feedWatchdog);
    LOG.info("self-fencing: {} watchdog, timeout {} ms, armed at the first quorum contact", watchdog.mode().name().toLowerCase(java.util.Locale.ROOT),
        watchdog.timeout().toMillis());
  }

  private void feedWatchdog() {
    long now = nanos.getAsLong();
    long delayNanos = watchdog.timeout().toNanos() / 3;
    try {
      java.util.OptionalLong end = liveness.ownLeaseEnd();
      java.util.Optional<java.time.Instant> lease = end.isPresent()
          ? java.util.Optional.of(java.time.Instant.EPOCH.plusNanos(end.getAsLong())) : java.util.Optional.empty();
      var state = raft.localState();
      selfFencer.suspend(io.vigil.cluster.coordinator.SelfStopSuspension.why(state, configs.of(state), id.node()));
      java.time.Instant next = selfFencer.poll(liveness.hasQuorum(), lease, java.time.Instant.EPOCH.plusNanos(now));
      delayNanos = Duration.between(java.time.Instant.EPOCH.plusNanos(now), next).toNanos();
      String s = selfFencer.status();
      // Log changes only (the lease's time left changes at every step).
      if (!withoutInstants(s).equals(withoutInstants(watchdogStatus))) LOG.info("self-fencing: {}", s);
      watchdogStatus = s;
    } catch (IOException | RuntimeException e) {
      LOG.warn("self-fencing: feeding step failed: {}", e.toString());
    } finally {
      long d = Math.clamp(delayNanos, 10_000_000L, 1_000_000_000L);
      try {
        feeding.schedule(this::feedWatchdog, d, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private static String withoutInstants(String s) {
    return s.replaceAll("[0-9]+ ms", "");
  }

  /**
   * What the executor tells about finished actions, so that the supervisor kills the process groups and
   * removes the addresses this node's resources left running ({@link ActionObserver#NONE} with the watchdog off).
   */
  public ActionObserver actionObserver() {
    return new ActionObserver() {
      @Override
      public void finished(io.vigil.exec.ExecResult result, long processGroup, java.nio.file.Path cgroup) {
        SelfFencer f = selfFencer;
        if (f != null) new SupervisedResources(f).finished(result, processGroup, cgroup);
      }
    };
  }

  /**
   * Handles a control request in this process, exactly as the control socket would for {@code
   * user} (same validation and answers): for what runs inside the daemon, such as built-in agents.
   */
  public com.fasterxml.jackson.databind.node.ObjectNode request(com.fasterxml.jackson.databind.JsonNode req, String user)
      throws Exception {
    if (api == null) throw new IllegalStateException("start the daemon before sending it requests");
    return api.handle(req, user);
  }

  /** One line: which watchdog, whether it is fed and why. */
  public String watchdogStatus() {
    return watchdogStatus;
  }

  private void redeem(String tokenId, String hash, String node, String address) throws Exception {
    Result r = raft.submit(new Command.UseJoinToken(tokenId, hash, node, "node:" + id.node(), clock.millis())).get(15, TimeUnit.SECONDS);
    if (!r.accepted()) throw new IOException(r.message());
  }

  private final class Info implements EnrollmentServer.ClusterInfo {
    @Override
    public String clusterName() {
      return id.cluster();
    }

    @Override
    public ArrayNode members() {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      try {
        for (Peer p : raft.info().peers()) {
          a.addObject().put("name", p.name()).put("address", p.address()).put("role", p.role().name());
        }
      } catch (IOException e) {
        LOG.warn("cannot list members for enrollment: {}", e.getMessage());
      }
      return a;
    }
  }

  /**
   * Serves the REST API on {@code address} over HTTPS with this node's cluster certificate; the
   * bearer token is read from {@code tokenFile}. Call after {@link #start}.
   */
  public InetSocketAddress startRestApi(InetSocketAddress address, Path tokenFile) throws IOException {
    return startRestApi(address, tokenFile, null);
  }

  /** As {@link #startRestApi(InetSocketAddress, Path)}, with a read-only token from {@code readOnlyTokenFile} unless null. */
  public InetSocketAddress startRestApi(InetSocketAddress address, Path tokenFile, Path readOnlyTokenFile) throws IOException {
    if (api == null) throw new IllegalStateException("start the daemon before its REST API");
    rest = new RestApi(address, creds.sslContext(), tokenFile, readOnlyTokenFile, api);
    LOG.info("REST API of {} on https://{}:{}/v1/ (bearer token from {}{})", id.node(), rest.address().getHostString(),
        rest.address().getPort(), tokenFile, readOnlyTokenFile == null ? "" : ", read-only token from " + readOnlyTokenFile);
    return rest.address();
  }

  /** Adds live figures of something running in this daemon to status, {@code local-status} and {@code GET /metrics}. */
  public void addLocalReport(LocalReport r) {
    reports.add(r);
  }

  /** Hook for the coordinator: called after each committed change of the replicated state. */
  public void addStateListener(StateListener l) {
    raft.addListener(l);
  }

  /** Hook for the coordinator and fencing: node lost/returned, quorum gained/lost. */
  public void addLivenessListener(LivenessListener l) {
    liveness.addListener(l);
  }

  /**
   * Hook for the coordinator: it records the LOST marks this node makes as leader, together with the
   * plan each one leads to (fencing, recovery), in one log entry.
   */
  public void recordLostWith(java.util.function.Function<io.vigil.cluster.state.Command.SetNodeState,
      java.util.concurrent.CompletableFuture<io.vigil.cluster.state.Result>> recorder) {
    liveness.recordLostWith(recorder);
  }

  /** The Raft node: submit commands, read state, group info. */
  public RaftNode raft() {
    return raft;
  }

  public NodeIdentity identity() {
    return id;
  }

  /** Blocks until {@link #close} is called (from a shutdown hook). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() throws IOException {
    scheduler.shutdownNow();
    twoNode.close();
    try {
      if (feeding != null) {
        feeding.shutdownNow();
        try {
          feeding.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (selfFencer != null) {
        selfFencer.close();
        LOG.info("self-fencing: {}", selfFencer.status());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("self-fencing: cannot close the watchdog: {}", e.toString());
    }
    try {
      if (rest != null) rest.close();
      if (control != null) control.close();
      if (enrollment != null) enrollment.close();
    } finally {
      raft.close();
      stopped.countDown();
    }
  }
}
