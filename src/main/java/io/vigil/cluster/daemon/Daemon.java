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
  /** How often liveness is evaluated. */
  public static final Duration LIVENESS_TICK = Duration.ofMillis(50);
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
  private final ScheduledExecutorService scheduler;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private EnrollmentServer enrollment;
  private ControlServer control;
  private ControlApi api;
  private RestApi rest;
  private final java.util.List<LocalReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();

  public Daemon(Path stateDir, VigilRaftConfig config, Clock clock, LongSupplier nanos) throws IOException {
    this.stateDir = StateDir.prepare(stateDir);
    this.id = NodeIdentity.load(stateDir);
    this.creds = NodeCredentials.load(stateDir);
    this.clock = clock;
    this.raft = new RaftNode(id.cluster(), id.self(), id.peers(), StateDir.raft(stateDir), creds, config);
    this.liveness = new LivenessDriver(id.node(), raft, clock, nanos, NODE_TIMEOUT, Lease.defaults());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("vigil-liveness").unstarted(r));
  }

  /** Starts everything; returns once the control socket accepts requests. */
  public void start() throws IOException {
    raft.start();
    if (creds.authority().isPresent() && !id.enrollAddress().isEmpty()) {
      Peer e = new Peer("enroll", id.enrollAddress(), io.vigil.cluster.state.Member.Role.VOTER);
      enrollment = new EnrollmentServer(new InetSocketAddress(e.host(), e.port()), creds, this::redeem, new Info(), clock);
    }
    scheduler.scheduleWithFixedDelay(liveness::tick, 0, LIVENESS_TICK.toMillis(), TimeUnit.MILLISECONDS);
    api = new ControlApi(id, creds, raft, liveness, clock, reports);
    control = new ControlServer(StateDir.socket(stateDir), api);
    LOG.info("vigild {} of cluster {} started: raft {}, control {}", id.node(), id.cluster(), id.address(), StateDir.socket(stateDir));
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
    if (api == null) throw new IllegalStateException("start the daemon before its REST API");
    rest = new RestApi(address, creds.sslContext(), tokenFile, api);
    LOG.info("REST API of {} on https://{}:{}/v1/ (bearer token from {})", id.node(), rest.address().getHostString(),
        rest.address().getPort(), tokenFile);
    return rest.address();
  }

  /** Adds live figures of something running in this daemon to status, {@code local-status} and {@code GET /metrics}. */
  public void addLocalReport(LocalReport r) {
    reports.add(r);
  }

  /** Hook for the coordinator: called after each committed change of the replicated state. */
  public void addStateListener(StateListener l) {
    raft.stateMachine().addListener(l);
  }

  /** Hook for the coordinator and fencing: node lost/returned, quorum gained/lost. */
  public void addLivenessListener(LivenessListener l) {
    liveness.addListener(l);
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
