package io.vigil.cluster.raft;

import io.vigil.cluster.security.NodeCredentials;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Codec;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * One node's embedded Ratis server plus a client to its group, both on gRPC with mutual TLS
 * (only certificates signed by the cluster CA are accepted, in both directions). Raft log and
 * snapshots live under {@code raftDir}, so a restart recovers everything from disk.
 */
public final class RaftNode implements RaftAccess, AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RaftNode.class);
  /** Client attempts per request (leader changes need a few) before it fails. */
  static final int CLIENT_RETRIES = 30;
  static final long CLIENT_RETRY_SLEEP_MILLIS = 100;
  /** Where groups a takeover or rejoin left behind are kept until the current group runs (not a UUID: Ratis ignores it). */
  static final String REMOVED_GROUPS = "removed-groups";
  private final String self;
  private final String clusterName;
  private final Peer selfPeer;
  private final Path raftDir;
  /** The state listeners, shared by the state machines of every generation. */
  private final List<StateListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The state machine of each group this server hosts, made before the group is added (Ratis asks the registry). */
  private final Map<RaftGroupId, VigilStateMachine> machines = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Generation generation;
  private volatile RaftGroup group;
  private final RaftProperties props;
  private final Parameters params;
  private volatile VigilStateMachine stateMachine;
  private final RaftServer server;
  private volatile RaftClient client;
  /** Clients aimed at a known leader, by leader id: see {@link #client()}. */
  private final Map<String, RaftClient> byLeader = new java.util.concurrent.ConcurrentHashMap<>();
  /** One client connection per pinged peer (name and address): see {@link #ping}. */
  private final Map<String, org.apache.ratis.client.RaftClientRpc> pingRpcs = new java.util.concurrent.ConcurrentHashMap<>();
  private final ClientId pingClientId = ClientId.randomId();
  private final java.util.concurrent.atomic.AtomicLong pingCalls = new java.util.concurrent.atomic.AtomicLong();
  /** A ping not answered within this is given up (the liveness driver has declared the peer lost long before). */
  static final java.time.Duration PING_TIMEOUT = java.time.Duration.ofSeconds(1);

  /**
   * Builds (does not start) the node. {@code initialPeers} is the group at first start; on later
   * starts the configuration stored in the log wins.
   */
  public RaftNode(String clusterName, Peer self, List<Peer> initialPeers, Path raftDir, NodeCredentials creds,
      VigilRaftConfig config) throws IOException {
    this.self = self.name();
    this.clusterName = clusterName;
    this.selfPeer = self;
    this.raftDir = raftDir;
    Files.createDirectories(raftDir);
    this.generation = Generation.load(raftDir, initialPeers);
    this.group = RaftGroup.valueOf(Generation.groupId(clusterName, generation.number()),
        generation.peers().stream().map(Peer::toRatis).toList());
    this.props = new RaftProperties();
    config.applyTo(props);
    RaftServerConfigKeys.setStorageDir(props, List.of(raftDir.toFile()));
    RaftServerConfigKeys.setRemovedGroupsDir(props, raftDir.resolve(REMOVED_GROUPS).toFile());
    GrpcConfigKeys.Server.setHost(props, self.host());
    GrpcConfigKeys.Server.setPort(props, self.port());
    this.params = tlsParameters(creds);
    // Ratis starts every group directory it finds: one of an older generation (a crash in the
    // middle of a takeover or rejoin) must never run again, so it is put aside first.
    GroupDirs.retireOthers(raftDir, group.getGroupId(), generation.number());
    this.stateMachine = new VigilStateMachine(clusterName, listeners, seedOf(generation.number()));
    machines.put(group.getGroupId(), stateMachine);
    boolean existing = Files.isDirectory(raftDir.resolve(group.getGroupId().getUuid().toString()));
    this.server = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(self.name()))
        .setGroup(group)
        .setStateMachineRegistry(gid -> machines.computeIfAbsent(gid, g -> new VigilStateMachine(clusterName, listeners,
            java.util.Optional.empty())))
        .setProperties(props)
        .setParameters(params)
        .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
  }

  private java.util.Optional<ClusterState> seedOf(long number) throws IOException {
    Path f = Generation.seedFile(raftDir, number);
    if (!Files.isRegularFile(f)) return java.util.Optional.empty();
    Codec.Decoded<ClusterState> d = Codec.decodeState(Files.readAllBytes(f));
    if (!d.ok()) throw new IOException(f + ": unreadable takeover seed of raft generation " + number + ": " + d.error());
    return java.util.Optional.of(d.value());
  }

  /** The Raft group id of a cluster: a name-based UUID, the same on every node. */
  public static RaftGroupId groupId(String clusterName) {
    return Generation.groupId(clusterName, 0);
  }

  /** Ratis parameters presenting this node's certificate and requiring the peer's, signed by the cluster CA. */
  public static Parameters tlsParameters(NodeCredentials creds) {
    GrpcTlsConfig tls = new GrpcTlsConfig(creds.key(), creds.certificate(), creds.ca(), true);
    Parameters p = new Parameters();
    GrpcConfigKeys.TLS.setConf(p, tls);
    GrpcConfigKeys.Server.setTlsConf(p, tls);
    GrpcConfigKeys.Admin.setTlsConf(p, tls);
    GrpcConfigKeys.Client.setTlsConf(p, tls);
    return p;
  }

  private static RaftClient newClient(RaftGroup group, RaftProperties props, Parameters params) {
    return newClient(group, props, params, null);
  }

  private static RaftClient newClient(RaftGroup group, RaftProperties props, Parameters params, RaftPeerId leader) {
    return newClient(group, props, params, leader, CLIENT_RETRIES);
  }

  private static RaftClient newClient(RaftGroup group, RaftProperties props, Parameters params, RaftPeerId leader, int retries) {
    return RaftClient.newBuilder()
        .setLeaderId(leader)
        .setProperties(props)
        .setParameters(params)
        .setRaftGroup(group)
        .setClientId(ClientId.randomId())
        // Ratis retries forever by default; a request without a reachable majority must fail instead.
        .setRetryPolicy(org.apache.ratis.retry.RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            retries, org.apache.ratis.util.TimeDuration.valueOf(CLIENT_RETRY_SLEEP_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)))
        .setClientRpc(new GrpcFactory(params).newRaftClientRpc(ClientId.randomId(), props))
        .build();
  }

  /** Starts the server, then a client for the group as stored (a restarted node knows every later member). */
  public void start() throws IOException {
    server.start();
    this.client = newClient(currentGroup(), props, params);
    GroupDirs.deleteLeftovers(raftDir, generation.number());
  }

  private RaftGroup currentGroup() throws IOException {
    RaftGroup group = this.group;
    var conf = server.getDivision(group.getGroupId()).getRaftConf();
    Map<RaftPeerId, RaftPeer> byId = new java.util.LinkedHashMap<>();
    conf.getAllPeers().forEach(p -> byId.put(p.getId(), p));
    conf.getAllPeers(RaftPeerRole.LISTENER).forEach(p -> byId.put(p.getId(), p));
    List<RaftPeer> all = new ArrayList<>(byId.values());
    return RaftGroup.valueOf(group.getGroupId(), all.isEmpty() ? group.getPeers() : all);
  }

  /**
   * The client to send through: one aimed at the leader this server knows. A client remembers the
   * leader it last reached; after that leader was cut off, its requests would wait a whole request
   * timeout on the old leader before trying another server (seconds, during which no action of
   * the new leader's could be recorded). The local server learns the new leader from the election.
   */
  private RaftClient client() {
    try {
      RaftGroupId gid = group.getGroupId();
      RaftPeerId leader = server.getDivision(gid).getInfo().getLeaderId();
      if (leader == null) return client;
      String key = gid + "/" + leader;
      RaftClient c = byLeader.get(key);
      if (c != null) return c;
      RaftGroup g = currentGroup();
      return byLeader.computeIfAbsent(key, k -> newClient(g, props, params, leader));
    } catch (IOException | RuntimeException e) {
      return client;
    }
  }

  /** The state machine of the current generation's group. */
  public VigilStateMachine stateMachine() {
    return stateMachine;
  }

  /** Calls {@code l} after each entry applied to the local replica, in whichever generation. */
  public void addListener(StateListener l) {
    listeners.add(l);
  }

  /** The Raft generation this node is in (0 until a two-node takeover). */
  public Generation generation() {
    return generation;
  }

  /** The local replica's state (may lag the leader by a few entries). */
  @Override
  public ClusterState localState() {
    return stateMachine.state();
  }

  /** Proposes a command; completes with the state machine's result once committed and applied. */
  @Override
  public CompletableFuture<Result> submit(Command command) {
    return client().async().send(Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(
        Codec.encode(command)))).thenApply(RaftNode::result);
  }

  private static Result result(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new java.util.concurrent.CompletionException(new IOException("raft request failed: " + reply.getException()));
    }
    try {
      return RaftCodec.decodeResult(reply.getMessage().getContent());
    } catch (IOException e) {
      throw new java.util.concurrent.CompletionException(new IOException("undecodable state machine answer", e));
    }
  }

  /**
   * Pings {@code peer}: a stale read of {@link VigilStateMachine#QUERY_PING} sent to that server
   * alone, on Ratis' unordered client stream (the ordered one is for the leader), without retries,
   * answered by its state machine outside the log. A server not in this group (another
   * generation, removed) answers with an error, which counts as no answer.
   */
  @Override
  public CompletableFuture<Void> ping(Peer peer) {
    RaftGroupId gid = group.getGroupId();
    var rpc = pingRpcs.computeIfAbsent(pingKey(peer), k -> newPingRpc(peer));
    var request = org.apache.ratis.protocol.RaftClientRequest.newBuilder()
        .setClientId(pingClientId)
        .setServerId(RaftPeerId.valueOf(peer.name()))
        .setGroupId(gid)
        .setCallId(pingCalls.incrementAndGet())
        .setMessage(Message.valueOf(VigilStateMachine.QUERY_PING))
        .setType(org.apache.ratis.protocol.RaftClientRequest.staleReadRequestType(-1)) // any commit index, even a fresh server's -1
        .setTimeoutMs(PING_TIMEOUT.toMillis())
        .build();
    return rpc.sendRequestAsyncUnordered(request).thenAccept(reply -> {
      if (!reply.isSuccess()) {
        throw new java.util.concurrent.CompletionException(new IOException(peer.name() + " did not answer the ping: " + reply.getException()));
      }
    });
  }

  @Override
  public void keepPingingOnly(java.util.Set<Peer> peers) {
    java.util.Set<String> keep = new java.util.HashSet<>();
    for (Peer p : peers) keep.add(pingKey(p));
    pingRpcs.entrySet().removeIf(e -> {
      if (keep.contains(e.getKey())) return false;
      closeQuietly(e.getValue()); // a ping still on its way fails: no answer, as from a removed member
      return true;
    });
  }

  /** The peers (name@address) this node holds a ping connection to; for tests. */
  java.util.Set<String> pingConnections() {
    return java.util.Set.copyOf(pingRpcs.keySet());
  }

  private static String pingKey(Peer peer) {
    return peer.name() + "@" + peer.address();
  }

  private org.apache.ratis.client.RaftClientRpc newPingRpc(Peer peer) {
    RaftProperties p = new RaftProperties(props);
    org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p,
        org.apache.ratis.util.TimeDuration.valueOf(PING_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    var rpc = new GrpcFactory(params).newRaftClientRpc(pingClientId, p);
    rpc.addRaftPeers(List.of(peer.toRatis()));
    return rpc;
  }

  /** Reads the state through the leader (linearizable with respect to committed entries). */
  @Override
  public ClusterState readState() throws IOException {
    RaftClientReply reply = client().io().sendReadOnly(Message.valueOf(VigilStateMachine.QUERY_STATE));
    if (!reply.isSuccess()) throw new IOException("read from the leader failed: " + reply.getException());
    Codec.Decoded<ClusterState> d = Codec.decodeState(reply.getMessage().getContent().toByteArray());
    if (!d.ok()) throw new IOException("leader sent an unreadable state: " + d.error());
    return d.value();
  }

  /** Changes the Raft configuration to exactly {@code peers} (Ratis joint consensus). */
  public void setConfiguration(List<Peer> peers) throws IOException {
    List<RaftPeer> voters = new ArrayList<>();
    List<RaftPeer> listeners = new ArrayList<>();
    for (Peer p : peers) (p.role() == Member.Role.VOTER ? voters : listeners).add(p.toRatis());
    // A new member must catch up with the log before it counts (Ratis stages it); a member that
    // just started on a loaded machine can take longer than one request's retries. The change is
    // idempotent (the whole peer list), so it is retried for up to RECONF_PATIENCE.
    long deadline = System.nanoTime() + RECONF_PATIENCE.toNanos();
    while (true) {
      String failure;
      try {
        RaftClientReply reply = client.admin().setConfiguration(voters, listeners);
        if (reply.isSuccess()) return;
        failure = String.valueOf(reply.getException());
      } catch (IOException e) {
        failure = e.getMessage();
      }
      if (System.nanoTime() > deadline) throw new IOException("raft reconfiguration failed: " + failure);
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("raft reconfiguration interrupted; last failure: " + failure, e);
      }
    }
  }

  /** How long a membership change is retried (a joining member catching up on a loaded machine). */
  static final java.time.Duration RECONF_PATIENCE = java.time.Duration.ofSeconds(45);

  /** What this server knows now: leader, term, configuration, follower silence on the leader. */
  @Override
  public GroupInfo info() throws IOException {
    try {
      return infoOf(server.getDivision(group.getGroupId()));
    } catch (NullPointerException e) {
      // A group just added (a takeover or rejoin) answers before Ratis has set all of it up.
      throw new IOException("raft group " + group.getGroupId() + " is starting", e);
    }
  }

  private GroupInfo infoOf(RaftServer.Division division) {
    var info = division.getInfo();
    RaftPeerId leader = info.getLeaderId();
    List<Peer> peers = new ArrayList<>();
    var conf = division.getRaftConf();
    for (RaftPeer p : conf.getCurrentPeers()) peers.add(Peer.of(p, Member.Role.VOTER));
    for (RaftPeer p : conf.getCurrentPeers(RaftPeerRole.LISTENER)) peers.add(Peer.of(p, Member.Role.LISTENER));
    Map<String, Long> silence = new HashMap<>();
    RoleInfoProto role = info.getRoleInfoProto();
    if (role.hasLeaderInfo()) {
      for (var f : role.getLeaderInfo().getFollowerInfoList()) {
        silence.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs());
      }
    } else if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()) {
      var l = role.getFollowerInfo().getLeaderInfo();
      String id = l.getId().getId().toStringUtf8();
      // With no leader (it died, an election is running) Ratis reports a leader without an id.
      if (!id.isEmpty()) silence.put(id, l.getLastRpcElapsedTimeMs());
    }
    return new GroupInfo(self, leader == null ? "" : leader.toString(), info.getCurrentRole().name(),
        info.getCurrentTerm(), info.getLastAppliedIndex(), peers, silence);
  }

  /**
   * The two-node takeover, after this node fenced its only peer: the cluster moves to a new Raft
   * group (the next generation) whose only voter is this node, seeded with this node's whole log
   * (uncommitted tail included) plus the record of the fencing ({@link TakeoverSeed}). Order, each
   * step durable before the next: seed and generation written; old group stopped (put aside, so
   * no vote or entry of it counts any more); new group started; old group's storage deleted.
   */
  public synchronized Generation takeOver(String peer, String device, long timeMillis) throws IOException {
    Generation from = generation;
    RaftGroupId oldId = group.getGroupId();
    var division = server.getDivision(oldId);
    long term = division.getInfo().getCurrentTerm();
    VigilStateMachine.Applied applied = stateMachine.applied();
    List<Command> tail = new ArrayList<>();
    var log = division.getRaftLog();
    long last = log.getLastEntryTermIndex() == null ? -1 : log.getLastEntryTermIndex().getIndex();
    for (long i = applied.index() + 1; i <= last; i++) {
      org.apache.ratis.proto.RaftProtos.LogEntryProto e;
      try {
        e = log.get(i);
      } catch (IOException ex) {
        LOG.warn("takeover: entry {} of the local log cannot be read ({}); the tail ends before it", i, ex.toString());
        break;
      }
      if (e == null || !e.hasStateMachineLogEntry()) continue;
      Codec.Decoded<Command> d = Codec.decodeCommand(e.getStateMachineLogEntry().getLogData().toByteArray());
      if (d.ok()) tail.add(d.value());
    }
    ClusterState seed = TakeoverSeed.of(applied.state(), tail, self, peer, device, from.number(), term, timeMillis);
    Generation next = new Generation(from.number() + 1, List.of(new Peer(selfPeer.name(), selfPeer.address(), Member.Role.VOTER)));
    DurableFile.write(Generation.seedFile(raftDir, next.number()), Codec.encode(seed));
    next.save(raftDir);
    LOG.warn("two-node takeover: {} fenced; leaving raft generation {} (term {}, applied {}, log tail of {} command(s))",
        peer, from.number(), term, applied.index(), tail.size());
    removeGroup(oldId, false);
    addGroup(next, java.util.Optional.of(seed));
    GroupDirs.deleteLeftovers(raftDir, generation.number());
    LOG.warn("two-node takeover: raft generation {} runs with {} as its only voter", next.number(), self);
    return next;
  }

  /**
   * A node left behind by its peer's takeover: discards its old group and starts the peer's
   * generation {@code number} as a new, empty member with {@code peers}; it gets the state from the
   * leader once an operator adds it ({@code vigil node add}), as any joining node.
   */
  public synchronized void rejoin(long number, List<Peer> peers) throws IOException {
    if (number <= generation.number()) {
      throw new IllegalArgumentException("rejoin: generation " + number + " is not newer than this node's " + generation.number());
    }
    RaftGroupId oldId = group.getGroupId();
    Generation next = new Generation(number, peers);
    next.save(raftDir);
    LOG.warn("the cluster moved to raft generation {} without this node (it was fenced): discarding generation {} and waiting"
        + " to be added again", number, generation.number());
    removeGroup(oldId, true);
    addGroup(next, java.util.Optional.empty());
    GroupDirs.deleteLeftovers(raftDir, generation.number());
  }

  /** The Raft groups {@code peer}'s server hosts now (asked over the cluster's mutual TLS). */
  public java.util.Set<RaftGroupId> peerGroups(Peer peer) throws IOException {
    try (RaftClient c = newClient(RaftGroup.valueOf(group.getGroupId(), List.of(peer.toRatis())), props, params, null, 1)) {
      return java.util.Set.copyOf(c.getGroupManagementApi(RaftPeerId.valueOf(peer.name())).list().getGroupIds());
    }
  }

  private void removeGroup(RaftGroupId id, boolean delete) throws IOException {
    Files.createDirectories(raftDir.resolve(REMOVED_GROUPS));
    RaftClientReply r = server.groupManagement(org.apache.ratis.protocol.GroupManagementRequest.newRemove(
        ClientId.randomId(), RaftPeerId.valueOf(self), 0, id, delete, !delete));
    if (!r.isSuccess()) throw new IOException("cannot stop raft group " + id + ": " + r.getException());
    machines.remove(id);
  }

  private void addGroup(Generation next, java.util.Optional<ClusterState> seed) throws IOException {
    RaftGroup g = RaftGroup.valueOf(Generation.groupId(clusterName, next.number()), next.peers().stream().map(Peer::toRatis).toList());
    VigilStateMachine sm = new VigilStateMachine(clusterName, listeners, seed);
    machines.put(g.getGroupId(), sm);
    generation = next;
    group = g;
    stateMachine = sm;
    RaftClientReply r = server.groupManagement(org.apache.ratis.protocol.GroupManagementRequest.newAdd(
        ClientId.randomId(), RaftPeerId.valueOf(self), 0, g, true));
    if (!r.isSuccess()) throw new IOException("cannot start raft group " + g.getGroupId() + " of generation " + next.number() + ": " + r.getException());
    RaftClient old = client;
    for (RaftClient c : byLeader.values()) closeQuietly(c);
    byLeader.clear();
    client = newClient(g, props, params);
    if (old != null) closeQuietly(old);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // a client of a group that is gone
    }
  }

  /** Asks the state machine to snapshot now (tests, operators before upgrades). */
  public long takeSnapshot() throws IOException {
    return stateMachine.takeSnapshot();
  }

  @Override
  public void close() throws IOException {
    try {
      for (RaftClient c : byLeader.values()) closeQuietly(c);
      for (var r : pingRpcs.values()) closeQuietly(r);
      if (client != null) client.close();
    } finally {
      server.close();
    }
  }
}
