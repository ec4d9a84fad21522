package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.Role;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Primary's side of "a copy missing acknowledged writes is never promoted", confined to the
 * engine's io thread. While a Primary has no peer session, every write, zero and flush is done
 * locally (and tracked in the bitmap) but its acknowledgement is held until the {@link PeerFencer}
 * has recorded that the peer's copy lacks this node's current generation; if that cannot be
 * recorded, acknowledgements stay held and the record is retried every second (I/O freezes rather
 * than risk a stale promotion). A new session releases them too: the peer is then a resync target,
 * Inconsistent until it holds everything, so it cannot be promoted either.
 */
final class PeerFencing {
  private static final Logger log = LoggerFactory.getLogger(PeerFencing.class);
  static final long RETRY_NANOS = 1_000_000_000L;
  private final VolumeEngine v;
  private final PeerFencer fencer;
  private final String peerNode;
  private final ArrayDeque<CompletableFuture<Void>> held = new ArrayDeque<>();
  /** The generation the peer was recorded against since the last session; 0 = not recorded. */
  private long recorded;
  private boolean inProgress;
  private long attempt;

  /** {@code peerNode}: the cluster's name of the peer (null: fencing off). */
  PeerFencing(VolumeEngine v, PeerFencer fencer, String peerNode) {
    this.v = v;
    this.fencer = peerNode == null ? PeerFencer.NONE : fencer;
    this.peerNode = peerNode;
  }

  PeerFencer fencer() {
    return fencer;
  }

  boolean enabled() {
    return fencer != PeerFencer.NONE;
  }

  /** Completes {@code done} now if the peer need not be fenced (or already is), else once it is. */
  void acknowledge(CompletableFuture<Void> done) {
    if (!enabled() || recorded == v.gens.current()) {
      done.complete(null);
      return;
    }
    held.add(done);
    start();
  }

  /** Holding acknowledgements until the peer is recorded Outdated (shown in status). */
  int held() {
    return held.size();
  }

  /** The peer session is gone while Primary, or this node became Primary without one: fence now, before the next write. */
  void peerAbsent() {
    if (enabled() && v.role == Role.PRIMARY && recorded != v.gens.current()) start();
  }

  /** A session is up: the peer resyncs (Inconsistent) before it could be promoted; held acknowledgements complete. */
  void sessionUp() {
    recorded = 0;
    inProgress = false;
    attempt++;
    release();
  }

  private void release() {
    while (!held.isEmpty()) held.removeFirst().complete(null);
  }

  private void start() {
    if (inProgress) return;
    inProgress = true;
    long mine = ++attempt;
    long generation = v.gens.current();
    Thread.ofVirtual().name("volume-fence-peer").start(() -> {
      Exception failure = null;
      try {
        fencer.outdate(peerNode, generation);
      } catch (Exception e) {
        failure = e;
      }
      Exception f = failure;
      v.io.execute(() -> done(mine, generation, f));
    });
  }

  private void done(long mine, long generation, Exception failure) {
    if (mine != attempt) return; // a session came back meanwhile
    inProgress = false;
    if (failure == null) {
      recorded = generation;
      log.warn("volume '{}': peer '{}' recorded Outdated (it lacks generation {}); {} held acknowledgements released",
          v.settings.name(), peerNode, String.format("%016X", generation), held.size());
      if (v.lastError.startsWith("fencing peer")) v.lastError = "";
      if (recorded == v.gens.current()) release();
      else start(); // a new generation began meanwhile: record that one
      return;
    }
    v.lastError = "fencing peer '" + peerNode + "' failed (" + failure.getMessage() + "); " + held.size()
        + " write acknowledgements held until it is recorded Outdated";
    log.error("volume '{}': {}", v.settings.name(), v.lastError);
    v.schedule(() -> {
      if (mine == attempt && !inProgress && (!held.isEmpty() || v.role == Role.PRIMARY) && recorded != v.gens.current()) start();
    }, RETRY_NANOS);
  }
}
