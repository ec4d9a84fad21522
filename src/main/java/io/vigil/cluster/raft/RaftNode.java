package io.vigil.cluster.raft;

import io.vigil.cluster.security.NodeCredentials;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Codec;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
  /** Client attempts per request (leader changes need a few) before it fails. */
  static final int CLIENT_RETRIES = 30;
  static final long CLIENT_RETRY_SLEEP_MILLIS = 100;
  private final String self;
  private final RaftGroup group;
  private final RaftProperties props;
  private final Parameters params;
  private final VigilStateMachine stateMachine;
  private final RaftServer server;
  private volatile RaftClient client;
  /** Clients aimed at a known leader, by leader id: see {@link #client()}. */
  private final Map<String, RaftClient> byLeader = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Builds (does not start) the node. {@code initialPeers} is the group at first start; on later
   * starts the configuration stored in the log wins.
   */
  public RaftNode(String clusterName, Peer self, List<Peer> initialPeers, Path raftDir, NodeCredentials creds,
      VigilRaftConfig config) throws IOException {
    this.self = self.name();
    this.group = RaftGroup.valueOf(groupId(clusterName), initialPeers.stream().map(Peer::toRatis).toList());
    this.props = new RaftProperties();
    config.applyTo(props);
    RaftServerConfigKeys.setStorageDir(props, List.of(raftDir.toFile()));
    GrpcConfigKeys.Server.setHost(props, self.host());
    GrpcConfigKeys.Server.setPort(props, self.port());
    this.params = tlsParameters(creds);
    this.stateMachine = new VigilStateMachine(clusterName);
    Files.createDirectories(raftDir);
    boolean existing = Files.isDirectory(raftDir.resolve(group.getGroupId().getUuid().toString()));
    this.server = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(self.name()))
        .setGroup(group)
        .setStateMachine(stateMachine)
        .setProperties(props)
        .setParameters(params)
        .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
  }

  /** The Raft group id of a cluster: a name-based UUID, the same on every node. */
  public static RaftGroupId groupId(String clusterName) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("vigil-cluster:" + clusterName).getBytes(StandardCharsets.UTF_8)));
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
    return RaftClient.newBuilder()
        .setLeaderId(leader)
        .setProperties(props)
        .setParameters(params)
        .setRaftGroup(group)
        .setClientId(ClientId.randomId())
        // Ratis retries forever by default; a request without a reachable majority must fail instead.
        .setRetryPolicy(org.apache.ratis.retry.RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            CLIENT_RETRIES, org.apache.ratis.util.TimeDuration.valueOf(CLIENT_RETRY_SLEEP_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)))
        .setClientRpc(new GrpcFactory(params).newRaftClientRpc(ClientId.randomId(), props))
        .build();
  }

  /** Starts the server, then a client for the group as stored (a restarted node knows every later member). */
  public void start() throws IOException {
    server.start();
    this.client = newClient(currentGroup(), props, params);
  }

  private RaftGroup currentGroup() throws IOException {
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
      RaftPeerId leader = server.getDivision(group.getGroupId()).getInfo().getLeaderId();
      if (leader == null) return client;
      RaftClient c = byLeader.get(leader.toString());
      if (c != null) return c;
      RaftGroup g = currentGroup();
      return byLeader.computeIfAbsent(leader.toString(), k -> newClient(g, props, params, leader));
    } catch (IOException | RuntimeException e) {
      return client;
    }
  }

  public VigilStateMachine stateMachine() {
    return stateMachine;
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
    var division = server.getDivision(group.getGroupId());
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

  /** Asks the state machine to snapshot now (tests, operators before upgrades). */
  public long takeSnapshot() throws IOException {
    return stateMachine.takeSnapshot();
  }

  @Override
  public void close() throws IOException {
    try {
      for (RaftClient c : byLeader.values()) {
        try {
          c.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
      if (client != null) client.close();
    } finally {
      server.close();
    }
  }
}
