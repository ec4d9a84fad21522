package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.DirtyBitmap;
import io.vigil.agents.volume.meta.GenerationIds;
import io.vigil.agents.volume.meta.Role;
import io.vigil.agents.volume.replication.PeerCodec;
import io.vigil.agents.volume.replication.PeerMessage;
import io.vigil.agents.volume.replication.PeerSession;
import io.vigil.agents.volume.replication.Protocol;
import io.vigil.agents.volume.sync.CopyView;
import io.vigil.agents.volume.sync.SyncPlan;
import io.vigil.agents.volume.sync.SyncPlanner;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication half of a {@link VolumeEngine}, confined to its io thread.
 *
 * <p>Design notes. Sender: every local write, zero and flush gets the next sequence number of the
 * session and is kept in {@code pending} until the peer acknowledges it WRITTEN (FLUSHED for a
 * flush); the client's future completes per protocol (A: after the local write; B: peer RECEIVED;
 * C: peer WRITTEN). A NACK (bad checksum) makes the sender resend that message and all after it
 * (go-back-N), so the receiver can apply strictly in order. When the session is lost every pending
 * write's range is marked in the dirty bitmap and its future completes (the local copy has it) — on
 * a Primary only once the peer is recorded Outdated ({@link PeerFencing}), as for every write made
 * while it has no session.
 * Receiver: applies messages with exactly the expected sequence number, drops others until the
 * resend arrives. Resync: the source reads dirty regions and sends them as RESYNC writes in the same
 * ordered stream (so a later client write to the region wins), at most {@link #WINDOW} in flight,
 * paced by a {@link TokenBucket}; SyncDone hands the target the source's generations.
 */
final class Replicator {
  private static final Logger log = LoggerFactory.getLogger(Replicator.class);
  static final int WINDOW = 32;
  private static final long MAX_PENDING_BYTES = 64L << 20;

  private final VolumeEngine v;
  private PeerSession session;
  private PeerMessage.Hello peer;
  private Role peerRole;
  private DiskState peerDisk;

  // sender
  private long nextSeq;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final ArrayDeque<CompletableFuture<Void>> heldAcks = new ArrayDeque<>();
  private final Map<Integer, Integer> inflightExtents = new HashMap<>();
  private long pendingBytes;
  private long resends;
  /** Bytes to receive when this node became sync target (for its progress %). */
  private long targetTotal;

  // receiver
  private volatile PeerSession receivedAckSession;
  private final StreamApplier applier;

  private final ResyncSource resync;

  private java.util.function.IntConsumer verifyMismatch = r -> { };

  /** Queues a verify of {@code region} (digest already computed here) in the ordered stream; false if not connected. */
  boolean sendVerify(int region, long digest, CompletableFuture<Void> done, java.util.function.IntConsumer onMismatch) {
    if (session == null) return false;
    verifyMismatch = onMismatch;
    long seq = nextSeq++;
    enqueue(new Pending(seq, new PeerMessage.Verify(seq, region, digest), 0, 0, done, -1));
    return true;
  }

  /** Starts resyncing whatever the bitmap marks (after a verify found differences), as source. */
  void resyncMarkedRegions() {
    if (session == null || resync.active() || v.bitmap.dirtyRegions() == 0) return;
    v.conn = ConnectionState.SYNC_SOURCE;
    resync.begin();
  }

  private record Pending(long seq, PeerMessage msg, long offset, long length, CompletableFuture<Void> done, int resyncRegion) {}

  Replicator(VolumeEngine v) {
    this.v = v;
    this.applier = new StreamApplier(v);
    this.resync = new ResyncSource(v, this);
  }

  boolean connected() {
    return session != null;
  }

  Role peerRole() { return session == null ? null : peerRole; }
  DiskState peerDisk() { return session == null ? null : peerDisk; }
  String peerNode() { return session == null || peer == null ? null : peer.node(); }
  long crcErrors() { return applier.crcErrors(); }
  long resends() { return resends; }
  long resyncBytes() { return resync.bytesSent() + applier.resyncBytes(); }

  double syncPercent() {
    if (v.disk == DiskState.UP_TO_DATE && !resync.active()) return 100.0;
    long total = Math.max(v.conn == ConnectionState.SYNC_TARGET ? targetTotal : resync.total(), 1);
    return Math.max(0, Math.min(100.0, 100.0 * (total - v.bitmap.dirtyBytes()) / total));
  }

  // ---- sender: client I/O on the primary ----

  void write(long offset, java.nio.ByteBuffer[] parts, boolean fua, CompletableFuture<Void> done) throws IOException {
    v.requireWritable();
    int length = 0;
    for (java.nio.ByteBuffer p : parts) length += p.remaining();
    track(offset, length);
    v.data.write(offset, parts);
    if (fua) v.data.force();
    if (session == null) {
      v.fencing.acknowledge(done); // held while the peer is not yet recorded Outdated
      return;
    }
    byte[] data = v.blocks.take(length); // kept until acknowledged (resent after a NACK), then recycled
    int at = 0;
    for (java.nio.ByteBuffer p : parts) {
      int n = p.remaining();
      p.duplicate().get(data, at, n);
      at += n;
    }
    long seq = nextSeq++;
    PeerMessage.Write w = new PeerMessage.Write(seq, offset, fua ? PeerMessage.FLAG_FUA : 0, PeerCodec.crc(offset, data), data);
    enqueue(new Pending(seq, w, offset, data.length, done, -1));
  }

  void zero(long offset, long length, boolean fua, CompletableFuture<Void> done) throws IOException {
    v.requireWritable();
    track(offset, length);
    v.data.writeZeroes(offset, length);
    if (fua) v.data.force();
    if (session == null) {
      v.fencing.acknowledge(done);
      return;
    }
    long seq = nextSeq++;
    enqueue(new Pending(seq, new PeerMessage.Zero(seq, offset, length, fua ? PeerMessage.FLAG_FUA : 0), offset, length, done, -1));
  }

  void flush(CompletableFuture<Void> done) throws IOException {
    v.requireWritable();
    if (session != null) {
      // Ask the peer first so both fsyncs overlap; the ack is handled on this thread after ours returns.
      long seq = nextSeq++;
      enqueue(new Pending(seq, new PeerMessage.Flush(seq), 0, 0, done, -1));
      v.data.force();
      return;
    }
    v.data.force();
    v.fencing.acknowledge(done);
  }

  private void enqueue(Pending p) {
    pending.addLast(p);
    pendingBytes += p.msg() instanceof PeerMessage.Write w ? w.data().length : 0;
    if (p.length() > 0) forExtents(p.offset(), p.length(), e -> inflightExtents.merge(e, 1, Integer::sum));
    session.send(p.msg());
    if (v.settings.protocol() == Protocol.A && p.resyncRegion() < 0 && !(p.msg() instanceof PeerMessage.Flush)) {
      // Protocol A: done once queued, unless too much is queued already (then held until acks drain it).
      if (pendingBytes <= MAX_PENDING_BYTES) p.done().complete(null);
      else heldAcks.add(p.done());
    }
  }

  /** Records the regions a write touches before it happens: activity log while connected, bitmap otherwise. */
  private void track(long offset, long length) throws IOException {
    boolean changed = false;
    if (session != null) {
      int first = (int) (offset / VolumeEngine.AL_EXTENT);
      int last = (int) ((offset + length - 1) / VolumeEngine.AL_EXTENT);
      for (int e = first; e <= last; e++) changed |= v.al.touch(e, inflightExtents::containsKey);
    } else {
      changed = v.bitmap.markDirty(offset, length) > 0;
    }
    if (changed) v.persist();
  }

  private void forExtents(long offset, long length, java.util.function.IntConsumer c) {
    int first = (int) (offset / VolumeEngine.AL_EXTENT);
    int last = (int) ((offset + length - 1) / VolumeEngine.AL_EXTENT);
    for (int r = first; r <= last; r++) c.accept(r);
  }

  private void onAck(PeerMessage.Ack a) {
    Protocol protocol = v.settings.protocol();
    if (a.kind() == PeerMessage.Ack.RECEIVED) {
      for (Pending p : pending) {
        if (p.seq() > a.seq()) break;
        if (protocol == Protocol.B && !(p.msg() instanceof PeerMessage.Flush)) p.done().complete(null);
      }
      return;
    }
    while (!pending.isEmpty() && pending.peekFirst().seq() <= a.seq()) {
      Pending p = pending.removeFirst();
      if (p.msg() instanceof PeerMessage.Write w) {
        pendingBytes -= w.data().length;
        v.blocks.give(w.data());
      }
      if (p.length() > 0) forExtents(p.offset(), p.length(), e -> inflightExtents.computeIfPresent(e, (k, n) -> n == 1 ? null : n - 1));
      p.done().complete(null);
      if (p.resyncRegion() >= 0) resync.acked(p.resyncRegion());
    }
    while (!heldAcks.isEmpty() && pendingBytes <= MAX_PENDING_BYTES) heldAcks.removeFirst().complete(null);
    resync.pump();
  }

  private void onNack(PeerMessage.Nack n) {
    log.warn("volume '{}': peer reported a checksum mismatch at sequence {}; resending it and what followed", v.settings.name(), n.seq());
    for (Pending p : pending) {
      if (p.seq() >= n.seq()) {
        session.send(p.msg());
        resends++;
      }
    }
  }

  // ---- receiver: the secondary applying the stream ----

  /** Protocol B acknowledges receipt from the event loop, before the write is queued for the disk. */
  void maybeAckReceived(PeerSession s, PeerMessage m) {
    if (m instanceof PeerMessage.Write w && peerProtocolIsB(s) && PeerCodec.crc(w.offset(), w.data()) == w.crc()) {
      s.send(new PeerMessage.Ack(w.seq(), PeerMessage.Ack.RECEIVED));
    }
  }

  private boolean peerProtocolIsB(PeerSession s) {
    return s == receivedAckSession && v.settings.protocol() == Protocol.B;
  }

  void message(PeerSession s, PeerMessage m) {
    if (s != session) return; // from a session that already ended
    try {
      switch (m) {
        case PeerMessage.Ack a -> onAck(a);
        case PeerMessage.Nack n -> onNack(n);
        case PeerMessage.Write w -> applier.apply(s, w.seq(), () -> applier.write(s, w));
        case PeerMessage.Zero z -> applier.apply(s, z.seq(), () -> applier.zero(z));
        case PeerMessage.Flush f -> applier.apply(s, f.seq(), () -> applier.flush(f));
        case PeerMessage.Verify q -> applier.apply(s, q.seq(), () -> new PeerMessage.VerifyReply(q.seq(), Verifier.digest(v, q.region())));
        case PeerMessage.VerifyReply r -> {
          for (Pending p : pending) {
            if (p.seq() == r.seq() && p.msg() instanceof PeerMessage.Verify q && q.digest() != r.digest()) verifyMismatch.accept(q.region());
          }
          onAck(new PeerMessage.Ack(r.seq(), PeerMessage.Ack.WRITTEN));
        }
        case PeerMessage.SyncDone d -> syncDone(d);
        case PeerMessage.State st -> {
          peerRole = st.role();
          peerDisk = st.disk();
          followFirstPromotion(st);
        }
        case PeerMessage.Ping p -> { }
        case PeerMessage.Hello h -> throw new IllegalStateException("second hello");
        case PeerMessage.Admin a -> throw new IllegalStateException("administrative request inside a session");
        case PeerMessage.AdminReply a -> throw new IllegalStateException("administrative reply inside a session");
      }
    } catch (Exception e) {
      v.lastError = "replication from " + s.remote() + " failed: " + e.getMessage();
      log.error("volume '{}': {}", v.settings.name(), v.lastError, e);
      s.close(e.getMessage());
    }
  }

  /**
   * The peer was promoted for the first time while this in-sync copy was connected, and left the
   * ZEROED generation ({@link GenerationIds#leaveZeroed}): this copy takes the same generations and
   * persists them before the first write, which follows the State on the same ordered stream.
   */
  private void followFirstPromotion(PeerMessage.State st) throws IOException {
    if (st.role() != Role.PRIMARY || v.conn != ConnectionState.CONNECTED || v.disk == DiskState.INCONSISTENT
        || !v.gens.adoptedFrom(st.gens())) {
      return;
    }
    v.gens = st.gens();
    v.persist();
    log.info("volume '{}': the peer's first promotion left the zeroed generation; following it ({})", v.settings.name(), v.gens);
  }

  private void syncDone(PeerMessage.SyncDone d) throws IOException {
    v.data.force();
    GenerationIds src = d.gens();
    v.gens = new GenerationIds(src.current(), 0, src.history1(), src.history2(), src.currentSince());
    v.disk = DiskState.UP_TO_DATE;
    v.bitmap.clearAll();
    v.resolveKeep = "";
    v.crashedPrimary = false;
    v.forcedMillis = 0; // the forced data is gone: this copy now holds the source's
    v.forcedFrom = null;
    v.conn = ConnectionState.CONNECTED;
    v.persist();
    announceState();
    log.info("volume '{}': resync from {} complete, {} moved; UpToDate", v.settings.name(), session.remote(),
        Sizes.format(applier.resyncBytes()));
  }

  // ---- sessions ----

  PeerMessage.Hello hello() {
    return new PeerMessage.Hello(v.settings.name(), v.settings.node(), v.settings.size(), v.settings.regionSize(),
        v.settings.protocol(), v.role, v.disk, v.gens, v.crashedPrimary, v.resolveKeep, v.bitmap.words());
  }

  void announceState() {
    if (session != null) session.send(new PeerMessage.State(v.role, v.disk, v.gens));
  }

  void connected(PeerSession s, PeerMessage.Hello sent, PeerMessage.Hello got) {
    if (session != null) sessionLost(session, "replaced by a new session");
    String mismatch = mismatch(got);
    if (mismatch == null && (sent.role() != v.role || sent.disk() != v.disk || !sent.gens().equals(v.gens))) {
      s.close("state changed during the handshake; reconnecting");
      return;
    }
    if (mismatch != null) {
      refuse(s, mismatch, false);
      return;
    }
    CopyView mine = new CopyView(sent.node(), sent.role(), sent.disk(), sent.gens(), sent.crashedPrimary(),
        DirtyBitmap.of(v.settings.size(), v.settings.regionSize(), sent.bitmapWords()).dirtyRegions(), sent.resolveKeep());
    DirtyBitmap peerBitmap = DirtyBitmap.of(v.settings.size(), v.settings.regionSize(), got.bitmapWords());
    CopyView theirs = new CopyView(got.node(), got.role(), got.disk(), got.gens(), got.crashedPrimary(), peerBitmap.dirtyRegions(),
        got.resolveKeep());
    SyncPlan plan = SyncPlanner.plan(mine, theirs, v.settings.splitBrain());
    log.info("volume '{}': handshake with '{}': {}", v.settings.name(), got.node(), plan);
    if (plan instanceof SyncPlan.Refuse r) {
      refuse(s, r.reason(), r.splitBrain());
      return;
    }
    boolean source = plan instanceof SyncPlan.Resync rs && rs.source().equals(v.settings.node());
    if (plan instanceof SyncPlan.Resync && !source && v.role == Role.PRIMARY) {
      refuse(s, "this node is Primary but its data would be overwritten by '" + got.node() + "'; demote it first", true);
      return;
    }
    session = s;
    receivedAckSession = s;
    peer = got;
    peerRole = got.role();
    peerDisk = got.disk();
    nextSeq = 0;
    applier.reset();
    v.lastError = "";
    v.fencing.sessionUp();
    try {
      switch (plan) {
        case SyncPlan.InSync i -> {
          v.conn = ConnectionState.CONNECTED;
          boolean outdatedButEqual = v.disk == DiskState.OUTDATED && got.disk() == DiskState.UP_TO_DATE;
          if (outdatedButEqual) v.disk = DiskState.UP_TO_DATE; // the same generation, nothing dirty: identical data
          if (v.crashedPrimary || outdatedButEqual) {
            v.crashedPrimary = false;
            v.persist();
          }
        }
        case SyncPlan.Resync r -> {
          if (r.splitBrain()) log.warn("volume '{}': {}", v.settings.name(), r.why());
          if (r.full()) v.bitmap.setAll();
          else v.bitmap.or(peerBitmap);
          targetTotal = v.bitmap.dirtyBytes();
          if (source) {
            v.conn = ConnectionState.SYNC_SOURCE;
            resync.begin();
          } else {
            v.conn = ConnectionState.SYNC_TARGET;
            v.disk = DiskState.INCONSISTENT;
            v.data.force();
          }
          v.persist();
        }
        case SyncPlan.Refuse r -> throw new AssertionError("handled above");
      }
    } catch (IOException e) {
      s.close("metadata write failed: " + e.getMessage());
    }
  }

  private String mismatch(PeerMessage.Hello got) {
    var s = v.settings;
    if (!got.volume().equals(s.name())) return "peer serves volume '" + got.volume() + "', expected '" + s.name() + "'";
    if (got.node().equals(s.node())) return "peer has the same node name '" + s.node() + "'";
    if (got.size() != s.size()) return "peer's copy is " + got.size() + " bytes, expected " + s.size();
    if (got.regionSize() != s.regionSize()) return "peer uses " + got.regionSize() + "-byte regions, expected " + s.regionSize();
    if (got.protocol() != s.protocol()) return "peer uses protocol " + got.protocol() + ", expected " + s.protocol();
    return null;
  }

  private void refuse(PeerSession s, String reason, boolean splitBrain) {
    v.lastError = reason;
    v.conn = ConnectionState.STAND_ALONE;
    if (splitBrain) log.error("volume '{}': ALERT {}", v.settings.name(), reason);
    else log.error("volume '{}': refusing peer: {}", v.settings.name(), reason);
    v.link.disable(reason);
    s.close(reason);
  }

  void sessionLost(PeerSession s, String why) {
    if (session == null || (s != null && s != session)) return;
    log.info("volume '{}': lost peer session: {}", v.settings.name(), why);
    session = null;
    receivedAckSession = null;
    // The local copy has every pending write and the bitmap remembers the peer may not; a Primary
    // acknowledges them only once the peer is recorded Outdated (PeerFencing), so a copy that missed
    // them is never promoted.
    boolean primary = v.role == Role.PRIMARY;
    for (Pending p : pending) {
      if (p.length() > 0) v.bitmap.markDirty(p.offset(), p.length());
      if (primary && p.resyncRegion() < 0) v.fencing.acknowledge(p.done());
      else p.done().complete(null);
    }
    heldAcks.forEach(f -> {
      if (primary) v.fencing.acknowledge(f);
      else f.complete(null);
    });
    heldAcks.clear();
    pending.clear();
    pendingBytes = 0;
    inflightExtents.clear();
    resync.stop();
    if (v.role == Role.PRIMARY && v.gens.bitmap() == 0) v.gens = v.gens.rotate(VolumeEngine.newGeneration(), v.clock.millis());
    if (v.conn != ConnectionState.STAND_ALONE) v.conn = ConnectionState.CONNECTING;
    v.persistOrLog();
    v.fencing.peerAbsent();
  }

  /** Sends one resync block in the ordered stream (the resync source's only way out). */
  void sendResyncBlock(long off, byte[] bytes, int region) {
    long seq = nextSeq++;
    enqueue(new Pending(seq, new PeerMessage.Write(seq, off, PeerMessage.FLAG_RESYNC, PeerCodec.crc(off, bytes), bytes), off, bytes.length,
        new CompletableFuture<>(), region));
  }

  PeerSession session() {
    return session;
  }
}
