package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.ActivityLog;
import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.DirtyBitmap;
import io.vigil.agents.volume.meta.GenerationIds;
import io.vigil.agents.volume.meta.MetadataCodec;
import io.vigil.agents.volume.meta.MetadataFile;
import io.vigil.agents.volume.meta.Role;
import io.vigil.agents.volume.meta.VolumeMetadata;
import io.vigil.agents.volume.nbd.Nbd;
import io.vigil.agents.volume.nbd.NbdException;
import io.vigil.agents.volume.nbd.NbdExport;
import io.vigil.agents.volume.nbd.NbdExports;
import io.vigil.agents.volume.replication.PeerListener;
import io.vigil.agents.volume.replication.PeerMessage;
import io.vigil.agents.volume.replication.PeerSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One volume on one node: its local copy, role, disk state and replication to the peer.
 *
 * <p>All state is confined to one I/O thread per volume; public methods hand work to it and return
 * futures, so local writes, replication sends and metadata updates happen in one total order (which
 * is the write order the peer applies). Roles: Secondary -> Primary (promote: only when UpToDate and
 * the peer is not Primary; dual-primary is not supported) -> Secondary (demote: flushes first).
 */
public final class VolumeEngine implements NbdExport, PeerListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VolumeEngine.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /**
   * Activity-log granularity (4 MiB, like DRBD's AL extents): coarser than bitmap regions so that a
   * sequential or clustered write stream rarely needs a metadata update before it may proceed.
   */
  static final long AL_EXTENT = MetadataCodec.AL_EXTENT;

  /** Replaced (only on the io thread) when the volume grows; read by NBD handshakes, hence volatile. */
  volatile VolumeSettings settings;
  final IoThread io;
  final Clock clock;
  final LongSupplier nanos;
  final BackingFile data;
  private MetadataFile metaFile;
  final Replicator repl;
  /** Recycled arrays of replicated blocks (sent until acknowledged; received until written). */
  final io.vigil.agents.volume.replication.BlockPool blocks = new io.vigil.agents.volume.replication.BlockPool(64L << 20);

  // Confined to the io thread (role is also read by NBD handshakes, hence volatile).
  volatile Role role;
  DiskState disk;
  GenerationIds gens;
  DirtyBitmap bitmap;
  ActivityLog al;
  boolean crashedPrimary;
  String resolveKeep;
  long lastVerifyMillis;
  long lastVerifyDiff;
  /** When an operator last forced this copy UpToDate ({@code primary --force}; 0 = never) and what it was then (persisted). */
  long forcedMillis;
  DiskState forcedFrom;
  /** The generation named by the last {@code outdate} (hex; "" = none), so a force knows which record it overrides. */
  String outdatedBy = "";
  /** The generation whose Outdated record a force overrode: a late repeat of that record is ignored ("" = none). */
  String overridden = "";
  ConnectionState conn = ConnectionState.STAND_ALONE;
  String lastError = "";
  volatile LinkControl link = LinkControl.NONE;
  PeerFencing fencing = new PeerFencing(this, PeerFencer.NONE, null);

  private VolumeEngine(VolumeSettings settings, BackingFile data, MetadataFile metaFile, VolumeMetadata m, Clock clock, LongSupplier nanos,
      ScheduledExecutorService sharedIo) {
    this.settings = settings;
    this.data = data;
    this.metaFile = metaFile;
    this.clock = clock;
    this.nanos = nanos;
    this.io = new IoThread(settings.name(), sharedIo);
    this.role = m.role();
    this.disk = m.diskState();
    this.gens = m.gens();
    this.bitmap = m.bitmap();
    this.al = new ActivityLog(settings.activityLogRegions(), List.of());
    this.resolveKeep = m.resolveKeep();
    this.crashedPrimary = m.crashedPrimary();
    this.lastVerifyMillis = m.lastVerifyMillis();
    this.lastVerifyDiff = m.lastVerifyDiffBytes();
    this.forcedMillis = m.forcedMillis();
    this.forcedFrom = m.forcedFrom();
    if (m.role() == Role.PRIMARY) {
      // The process stopped while Primary without demoting: every region it may have been writing is suspect.
      crashedPrimary = true;
      for (int extent : m.activityLog()) {
        long start = (long) extent * AL_EXTENT;
        if (start < settings.size()) bitmap.markDirty(start, Math.min(AL_EXTENT, settings.size() - start));
      }
      role = Role.SECONDARY;
      log.warn("volume '{}': was Primary when it stopped; {} activity-log regions marked out of sync", settings.name(), m.activityLog().size());
    }
    this.repl = new Replicator(this);
  }

  /** Creates this node's metadata (and for ZEROED the backing file). Fails if metadata already exists. */
  public static void create(VolumeSettings s, InitialData initial, Clock clock) throws IOException {
    if (Files.exists(s.metadataPath())) {
      throw new IOException("volume '" + s.name() + "': metadata " + s.metadataPath() + " already exists");
    }
    switch (initial) {
      case ZEROED -> BackingFile.createZeroed(s.backing(), s.size());
      case SYNC_TARGET -> {
        if (!Files.exists(s.backing())) BackingFile.createZeroed(s.backing(), s.size());
      }
      case EXISTING_SOURCE -> { }
    }
    BackingFile.open(s.name(), s.backing(), s.size()).close();
    VolumeMetadata m = switch (initial) {
      case ZEROED -> VolumeMetadata.fresh(s.name(), s.size(), s.regionSize(), DiskState.UP_TO_DATE, GenerationIds.zeroed());
      case EXISTING_SOURCE -> VolumeMetadata.fresh(s.name(), s.size(), s.regionSize(), DiskState.UP_TO_DATE,
          new GenerationIds(newGeneration(), 0, 0, 0, clock.millis()));
      case SYNC_TARGET -> VolumeMetadata.fresh(s.name(), s.size(), s.regionSize(), DiskState.INCONSISTENT,
          new GenerationIds(GenerationIds.NONE, 0, 0, 0, 0));
    };
    MetadataFile.create(s.metadataPath(), m).close();
  }

  /** Opens an existing volume (its metadata must match {@code s}). */
  public static VolumeEngine open(VolumeSettings s, Clock clock, LongSupplier nanos) throws IOException {
    return open(s, clock, nanos, null);
  }

  /**
   * Opens a volume whose state is confined to {@code io} (a single thread, e.g. the Netty event loop
   * that also serves its NBD and peer channels, which saves a thread hop per message); null = own thread.
   */
  public static VolumeEngine open(VolumeSettings s, Clock clock, LongSupplier nanos, ScheduledExecutorService io) throws IOException {
    if (!Files.exists(s.metadataPath())) {
      throw new IOException("volume '" + s.name() + "': no metadata at " + s.metadataPath() + "; create the volume first");
    }
    MetadataFile.Opened o = MetadataFile.open(s.metadataPath());
    VolumeMetadata m = o.meta();
    try {
      if (m.name().equals(s.name()) && m.size() > s.size()) {
        // Grown by 'vigil volume resize' since the configured size was written: the metadata is authoritative.
        log.info("volume '{}': metadata says {} (grown by resize), more than the configured {}; serving {}", s.name(),
            Sizes.format(m.size()), Sizes.format(s.size()), Sizes.format(m.size()));
        s = s.withSize(m.size());
      }
      if (!m.name().equals(s.name()) || m.size() != s.size() || m.regionSize() != s.regionSize()) {
        throw new IOException("volume '" + s.name() + "': metadata " + s.metadataPath() + " describes volume '" + m.name() + "' of "
            + m.size() + " bytes in " + m.regionSize() + "-byte regions, expected '" + s.name() + "' of " + s.size() + " bytes in "
            + s.regionSize() + "-byte regions");
      }
      BackingFile data = BackingFile.open(s.name(), s.backing(), s.size());
      VolumeEngine e = new VolumeEngine(s, data, o.file(), m, clock, nanos, io);
      e.call(() -> {
        e.persist();
        return null;
      }).join();
      return e;
    } catch (IOException | RuntimeException ex) {
      o.file().close();
      throw ex;
    }
  }

  static long newGeneration() {
    long g;
    do {
      g = RANDOM.nextLong() & ~1L;
    } while (g == 0);
    return g;
  }

  /** Writes the metadata (io thread). */
  void persist() throws IOException {
    metaFile.write(snapshot());
  }

  private VolumeMetadata snapshot() {
    return new VolumeMetadata(settings.name(), settings.size(), settings.regionSize(),
        role, disk, crashedPrimary, gens, bitmap.words(), al.regions(), resolveKeep, lastVerifyMillis, lastVerifyDiff,
        forcedMillis, forcedFrom);
  }

  /**
   * Grows this copy to {@code newSize} (io thread; the caller checked that both copies are
   * Connected and UpToDate): backing first (new area zero, see {@link BackingFile#grow}), then the
   * bitmap and the metadata (in larger slots if needed). Nothing changes in memory if a step fails.
   */
  void growTo(long newSize) throws IOException {
    VolumeSettings old = settings;
    if (newSize == old.size()) return;
    DirtyBitmap oldBitmap = bitmap;
    DirtyBitmap grown = DirtyBitmap.of(newSize, old.regionSize(), oldBitmap.words()); // refuses a size needing too many regions
    data.grow(old.size(), newSize);
    settings = old.withSize(newSize);
    bitmap = grown;
    try {
      VolumeMetadata m = snapshot();
      if (MetadataCodec.slotSize(newSize, old.regionSize()) > metaFile.slotSize()) metaFile = metaFile.replaceWithLargerSlots(m);
      else metaFile.write(m);
    } catch (IOException | RuntimeException e) {
      settings = old;
      bitmap = oldBitmap;
      throw e;
    }
    log.info("volume '{}': grown from {} to {} on node '{}'", old.name(), Sizes.format(old.size()), Sizes.format(newSize), old.node());
  }

  /** Sends the peer node an administrative request over the volume's authenticated link (any role, also StandAlone). */
  CompletableFuture<String> askPeer(String request, java.time.Duration timeout) {
    return link.ask(request, timeout);
  }

  /** Runs one control request (the text protocol of the control socket, see {@link VolumeAdmin}). */
  public CompletableFuture<String> request(String line) {
    return VolumeAdmin.local(this, line);
  }

  @Override
  public CompletableFuture<String> admin(String request) {
    return VolumeAdmin.fromPeer(this, request);
  }

  void persistOrLog() {
    try {
      persist();
    } catch (IOException e) {
      lastError = "metadata write failed: " + e.getMessage();
      log.error("volume '{}': {}", settings.name(), lastError, e);
    }
  }

  /** Runs {@code task} on the io thread. */
  <T> CompletableFuture<T> call(Callable<T> task) {
    return io.call(task);
  }

  CompletableFuture<Void> run(IoThread.Task task) {
    return io.run(task);
  }

  void requireWritable() {
    if (role != Role.PRIMARY) {
      throw new NbdException(Nbd.EPERM, "volume '" + settings.name() + "' is Secondary on node '" + settings.node()
          + "'; only the primary accepts reads and writes");
    }
  }

  // ---- NBD export ----

  @Override public String name() { return settings.name(); }
  @Override public long size() { return settings.size(); }
  @Override public boolean readOnly() { return false; }

  @Override
  public CompletableFuture<ByteBuffer> read(long offset, int length) {
    // Positional reads are thread-safe and see every completed write (page cache), so reads skip the
    // io thread; NBD promises no order between requests that are in flight together.
    try {
      requireWritable();
      return CompletableFuture.completedFuture(ByteBuffer.wrap(data.read(offset, length)));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<io.netty.buffer.ByteBuf> read(long offset, int length, io.netty.buffer.ByteBufAllocator alloc) {
    // Straight into pooled direct memory: no heap array, no JDK bounce copy, no copy to the socket buffer.
    io.netty.buffer.ByteBuf buf = null;
    try {
      requireWritable();
      buf = alloc.directBuffer(length);
      data.read(offset, buf.nioBuffer(0, length));
      buf.writerIndex(length);
      return CompletableFuture.completedFuture(buf);
    } catch (IOException | RuntimeException e) {
      if (buf != null) buf.release();
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> write(long offset, ByteBuffer src, boolean fua) {
    // src stays valid until the returned future completes (NbdExport's contract), so the local write
    // goes straight from it (a direct buffer: no extra copy); only the peer's copy is taken as an array.
    return write(offset, new ByteBuffer[] {src}, fua);
  }

  @Override
  public CompletableFuture<Void> write(long offset, ByteBuffer[] parts, boolean fua) {
    ByteBuffer[] data = new ByteBuffer[parts.length];
    for (int i = 0; i < parts.length; i++) data[i] = parts[i].duplicate();
    return run(f -> repl.write(offset, data, fua, f));
  }

  @Override
  public CompletableFuture<Void> writeZeroes(long offset, long length, boolean fua) {
    return run(f -> repl.zero(offset, length, fua, f));
  }

  @Override
  public CompletableFuture<Void> flush() {
    return run(repl::flush);
  }

  @Override
  public CompletableFuture<Void> trim(long offset, long length, boolean fua) {
    // Trim is advisory; doing nothing keeps both copies identical.
    return call(() -> {
      requireWritable();
      return null;
    });
  }

  /** The NBD view: this volume, served only while Primary. */
  public NbdExports exports() {
    return new PrimaryOnlyExports(this);
  }

  // ---- roles and administration ----

  /** Makes this node Primary. */
  public CompletableFuture<Void> promote() {
    return call(() -> {
      if (role == Role.PRIMARY) return null;
      if (disk != DiskState.UP_TO_DATE) {
        throw new IllegalStateException("volume '" + settings.name() + "' is " + disk + " on node '" + settings.node()
            + "'" + (conn == ConnectionState.SYNC_TARGET ? " (resync " + String.format("%.1f", repl.syncPercent()) + "% done)" : "")
            + (disk == DiskState.OUTDATED && lastError.startsWith("Outdated:") ? " (" + lastError + ")" : "")
            + "; only an UpToDate copy can be promoted" + ForcedPrimary.hint(this));
      }
      if (repl.peerRole() == Role.PRIMARY) {
        throw new IllegalStateException("volume '" + settings.name() + "': peer '" + repl.peerNode()
            + "' is Primary; demote it first (dual-primary is not supported), or switch roles from here with 'vigil volume primary "
            + settings.name() + " --switch'");
      }
      if (!repl.connected()) {
        gens = gens.rotate(newGeneration(), clock.millis()); // writes from here on form a new generation
      } else if (gens.current() == GenerationIds.ZEROED) {
        // ZEROED must keep meaning "never written", or a replaced copy made fresh would pass for
        // identical to one holding data. The first promotion leaves it, and the in-sync peer adopts
        // the new generation from the State announced below, before the first write (same stream).
        gens = gens.leaveZeroed(newGeneration(), clock.millis());
      }
      role = Role.PRIMARY;
      crashedPrimary = false;
      persist();
      repl.announceState();
      if (!repl.connected()) fencing.peerAbsent(); // the peer lacks the new generation: record it before a write is acknowledged
      log.info("volume '{}': promoted to Primary on node '{}' ({})", settings.name(), settings.node(), gens);
      return null;
    });
  }

  /** DRBD's {@code primary --force}: see {@link ForcedPrimary}. */
  CompletableFuture<String> forcePrimary() {
    return ForcedPrimary.run(this);
  }

  /** Makes this node Secondary after flushing. */
  public CompletableFuture<Void> demote() {
    return flush().thenCompose(v -> call(() -> {
      if (role == Role.SECONDARY) return null;
      role = Role.SECONDARY;
      al.clear();
      persist();
      repl.announceState();
      log.info("volume '{}': demoted to Secondary on node '{}'", settings.name(), settings.node());
      return null;
    }));
  }

  /** Allows the peer link (leaves StandAlone). */
  public CompletableFuture<Void> connect() {
    return call(() -> {
      if (conn == ConnectionState.STAND_ALONE) conn = ConnectionState.CONNECTING;
      link.enable();
      return null;
    });
  }

  /** Drops the peer link and stays StandAlone. */
  public CompletableFuture<Void> disconnect() {
    return call(() -> {
      link.disable("operator disconnect");
      repl.sessionLost(null, "operator disconnect");
      conn = ConnectionState.STAND_ALONE;
      return null;
    });
  }

  /** Marks {@code keepNode}'s data to win on the next connect (persisted), without connecting. */
  CompletableFuture<Void> markResolve(String keepNode) {
    return call(() -> {
      resolveKeep = keepNode;
      persist();
      return null;
    });
  }

  /** Manual split-brain resolution: {@code keepNode}'s data wins on the next connect. */
  public CompletableFuture<Void> resolve(String keepNode) {
    return call(() -> {
      resolveKeep = keepNode;
      persist();
      return null;
    }).thenCompose(v -> connect());
  }

  /** Compares both copies online (run on the Primary) and resyncs what differs; completes with a summary. */
  public CompletableFuture<String> verify() {
    return call(() -> Verifier.start(this)).thenCompose(f -> f).thenApply(Verifier.Result::render);
  }

  /**
   * Fences the peer through {@code fencer} whenever this node is Primary without a peer session
   * ({@link PeerFencing}); {@code peerNode} is the peer's name in the cluster. Called once, before connecting.
   */
  public void useFencer(PeerFencer fencer, String peerNode) {
    call(() -> {
      fencing = new PeerFencing(this, fencer, peerNode);
      return null;
    }).join();
  }

  /**
   * The cluster recorded that {@code byNode}, as Primary, wrote generation {@code generationHex}
   * without this copy: a Secondary UpToDate copy without a peer session that does not hold that
   * generation becomes Outdated (persisted; it cannot be promoted until a resync brings it up to date).
   */
  CompletableFuture<String> outdate(String generationHex, String byNode) {
    return call(() -> {
      String mine = String.format("%016X", gens.current());
      if (mine.equals(generationHex)) return "not outdated: this copy holds generation " + mine;
      if (generationHex.equals(overridden)) {
        return "not outdated: an operator forced this copy UpToDate at " + java.time.Instant.ofEpochMilli(forcedMillis)
            + " over that record";
      }
      if (role == Role.PRIMARY) return "not outdated: this copy is Primary";
      if (repl.connected()) return "not outdated: connected to '" + repl.peerNode() + "' (a resync brings this copy up to date)";
      if (disk == DiskState.INCONSISTENT || disk == DiskState.DISKLESS) return "not outdated: already " + disk;
      String why = "Outdated: node '" + byNode + "' wrote generation " + generationHex + " as Primary without this copy"
          + " (recorded in the cluster); UpToDate again after a resync from it";
      if (disk != DiskState.OUTDATED || !lastError.equals(why)) {
        if (disk != DiskState.OUTDATED) log.warn("volume '{}': {}", settings.name(), why);
        // The agent repeats the record every monitor: it must not hide a later, more urgent error (a split brain).
        boolean keepError = disk == DiskState.OUTDATED && !lastError.isEmpty() && !lastError.startsWith("Outdated:");
        disk = DiskState.OUTDATED;
        outdatedBy = generationHex;
        if (!keepError) lastError = why;
        persist();
      }
      return "Outdated";
    });
  }

  /** Connects the engine to its peer link (called once by the process wiring). */
  public void attach(LinkControl control) {
    call(() -> {
      link = control;
      return null;
    }).join();
  }

  public CompletableFuture<VolumeStatus> status() {
    return call(() -> new VolumeStatus(settings.name(), settings.node(), role, disk, conn, repl.peerNode(), repl.peerRole(),
        repl.peerDisk(), settings.protocol(), repl.syncPercent(), bitmap.dirtyBytes(), repl.resyncBytes(), repl.crcErrors(),
        repl.resends(), gens.toString(), lastVerifyMillis, lastVerifyDiff, lastError,
        settings.size(), forcedMillis, forcedFrom));
  }

  /** This copy as told to a peer that has no copy yet ({@link FirstStart}). */
  CompletableFuture<String> describeCopy() {
    return call(() -> new FirstStart.PeerCopy(disk, gens.current(), settings.size()).render());
  }

  // ---- peer link events (from the link's event loop) ----

  @Override
  public CompletableFuture<PeerMessage.Hello> hello() {
    return call(repl::hello);
  }

  @Override
  public void connected(PeerSession session, PeerMessage.Hello sent, PeerMessage.Hello received) {
    io.execute(() -> repl.connected(session, sent, received));
  }

  @Override
  public void message(PeerSession session, PeerMessage message) {
    repl.maybeAckReceived(session, message);
    io.execute(() -> repl.message(session, message));
  }

  @Override
  public java.util.function.IntFunction<byte[]> blockArrays() {
    return blocks::take;
  }

  @Override
  public void disconnected(PeerSession session, String why) {
    io.execute(() -> repl.sessionLost(session, why));
  }

  void schedule(Runnable r, long delayNanos) {
    io.schedule(r, delayNanos);
  }

  /** Stops the engine: a Primary stays Primary in its metadata only if it crashed; a clean stop demotes. */
  @Override
  public void close() {
    try {
      call(() -> {
        // The NBD server is closed first, so nothing is acknowledged to a client any more: a closing
        // Primary does not fence its peer (it would leave the peer Outdated for no acknowledged write).
        fencing = new PeerFencing(this, PeerFencer.NONE, null);
        link.disable("volume closing");
        repl.sessionLost(null, "volume closing");
        data.force();
        if (role == Role.PRIMARY) {
          role = Role.SECONDARY;
          al.clear();
        }
        persist();
        return null;
      }).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("volume '{}': clean shutdown failed: {}", settings.name(), e.toString());
    } finally {
      try {
        io.shutdown();
        data.close();
        metaFile.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
