package io.vigil.cluster.raft;

import io.vigil.cluster.state.Apply;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Codec;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Result;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The Raft state machine: each committed entry is decoded and handed to the pure
 * {@link Apply#apply}; the answer goes back to the proposer as JSON. Snapshots are the encoded
 * state, written to a temp file, synced and renamed, so a crash never leaves half a snapshot.
 * A malformed entry is answered with a rejection and changes nothing; it never stops the server.
 */
public final class VigilStateMachine extends BaseStateMachine {
  /** Query asking for the whole encoded state. */
  public static final String QUERY_STATE = "state";
  /** Query answered with an empty message: the leader's ping (a stale read, outside the log). */
  public static final String QUERY_PING = "ping";

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final String clusterName;
  private final List<StateListener> listeners;
  /** The state a two-node takeover starts a new group with, written as its first snapshot (index 0). */
  private final java.util.Optional<ClusterState> seed;
  private volatile ClusterState state;

  public VigilStateMachine(String clusterName) {
    this(clusterName, new CopyOnWriteArrayList<>(), java.util.Optional.empty());
  }

  /**
   * A state machine notifying {@code listeners} (shared across the Raft groups of one node), and
   * starting, when its storage holds no snapshot yet, from {@code seed} as snapshot (term 0, index 0):
   * Ratis then starts the log at index 1 and sends that snapshot to any member that joins later.
   */
  VigilStateMachine(String clusterName, List<StateListener> listeners, java.util.Optional<ClusterState> seed) {
    this.clusterName = clusterName;
    this.listeners = listeners;
    this.seed = seed;
    this.state = ClusterState.initial(clusterName);
  }

  /** The local replica and the index of the last entry applied to it, read together. */
  record Applied(ClusterState state, long index) {}

  synchronized Applied applied() {
    TermIndex last = getLastAppliedTermIndex();
    return new Applied(state, last == null ? -1 : last.getIndex());
  }

  /** The local replica's state (possibly behind the leader). */
  public ClusterState state() {
    return state;
  }

  public void addListener(StateListener l) {
    listeners.add(l);
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, raftStorage);
      storage.init(raftStorage);
      if (storage.getLatestSnapshot() == null && seed.isPresent()) {
        // Before Ratis opens the log (it asks for the latest snapshot right after this method).
        write(seed.get(), TermIndex.valueOf(0, 0));
        LOG.info("group {} seeded by a two-node takeover (epoch {}, version {})", groupId, seed.get().epoch(), seed.get().version());
      }
      load(storage.getLatestSnapshot());
    });
  }

  /** Ratis pauses the machine before it installs a snapshot sent by the leader (a joining or lagging member). */
  @Override
  public synchronized void pause() {
    if (getLifeCycleState() == org.apache.ratis.util.LifeCycle.State.RUNNING) {
      getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.PAUSING);
      getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.PAUSED);
    }
  }

  /** After a snapshot from the leader was installed: the state is that snapshot's. */
  @Override
  public void reinitialize() throws IOException {
    load(storage.loadLatestSnapshot());
    synchronized (this) {
      if (getLifeCycleState() == org.apache.ratis.util.LifeCycle.State.PAUSED) {
        getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.STARTING);
        getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.RUNNING);
      }
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    byte[] bytes = entry.getStateMachineLogEntry().getLogData().toByteArray();
    Codec.Decoded<Command> decoded = Codec.decodeCommand(bytes);
    Result result;
    Command command = decoded.value();
    ClusterState next;
    synchronized (this) {
      if (command == null) {
        result = Result.rejected(decoded.error(), state.epoch());
        next = state;
      } else {
        Apply.Outcome o = Apply.apply(state, command);
        next = o.state();
        result = o.result();
      }
      state = next;
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    }
    if (command != null && result.accepted()) {
      for (StateListener l : listeners) {
        try {
          l.applied(entry.getIndex(), command, result, next);
        } catch (RuntimeException e) {
          LOG.warn("state listener {} failed at index {}: {}", l, entry.getIndex(), e.toString());
        }
      }
    }
    return CompletableFuture.completedFuture(Message.valueOf(RaftCodec.encodeResult(result)));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    String q = request.getContent().toStringUtf8();
    if (QUERY_PING.equals(q)) return CompletableFuture.completedFuture(Message.EMPTY);
    if (!QUERY_STATE.equals(q)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "unknown query '" + q + "', expected '" + QUERY_STATE + "' or '" + QUERY_PING + "'"));
    }
    return CompletableFuture.completedFuture(Message.valueOf(
        org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(Codec.encode(state))));
  }

  @Override
  public long takeSnapshot() throws IOException {
    ClusterState snap;
    TermIndex last;
    synchronized (this) {
      snap = state;
      last = getLastAppliedTermIndex();
    }
    if (last == null || last.getIndex() < 0) return RaftLog.INVALID_LOG_INDEX;
    write(snap, last);
    return last.getIndex();
  }

  private void write(ClusterState snap, TermIndex last) throws IOException {
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Path target = file.toPath();
    byte[] bytes = Codec.encode(snap);
    DurableFile.write(target, bytes);
    var md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target, md5), last));
    LOG.info("snapshot at {} written to {} ({} bytes)", last, target, bytes.length);
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) return;
    File file = snapshot.getFile().getPath().toFile();
    if (!file.exists()) {
      LOG.warn("snapshot file {} is missing; starting from the log", file);
      return;
    }
    if (snapshot.getFile().getFileDigest() != null) MD5FileUtil.verifySavedMD5(file, snapshot.getFile().getFileDigest());
    Codec.Decoded<ClusterState> d = Codec.decodeState(Files.readAllBytes(file.toPath()));
    if (!d.ok()) throw new IOException("snapshot " + file + " cannot be read: " + d.error());
    if (!d.value().clusterName().equals(clusterName)) {
      throw new IOException("snapshot " + file + " belongs to cluster '" + d.value().clusterName() + "', expected '" + clusterName + "'");
    }
    synchronized (this) {
      state = d.value();
      setLastAppliedTermIndex(SimpleStateMachineStorage.getTermIndexFromSnapshotFile(file));
    }
    LOG.info("state restored from snapshot {} (epoch {}, version {})", file, state.epoch(), state.version());
  }
}
