package io.vigil.agents.volume;

import java.io.IOException;
import io.vigil.agents.volume.replication.PeerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resync source, confined to the engine's io thread: walks the dirty bitmap, reads each dirty
 * region and sends it as a RESYNC write in the replicator's ordered stream (so a later client write
 * to the region wins on the target), at most {@link Replicator#WINDOW} regions in flight, paced by a
 * {@link TokenBucket}; a region's bit clears when the peer acknowledges it. When the bitmap is clean
 * (regions dirtied behind the cursor send it round again) the target gets SyncDone with our generations.
 */
final class ResyncSource {
  private static final Logger log = LoggerFactory.getLogger(ResyncSource.class);
  private final VolumeEngine v;
  private final Replicator repl;
  private boolean active;
  private int cursor;
  private int inflight;
  private long total;
  private long bytesSent;
  private TokenBucket bucket;
  private boolean pumpScheduled;

  ResyncSource(VolumeEngine v, Replicator repl) {
    this.v = v;
    this.repl = repl;
  }

  boolean active() { return active; }
  long total() { return total; }
  long bytesSent() { return bytesSent; }

  /** Starts copying every region the bitmap marks. */
  void begin() {
    total = v.bitmap.dirtyBytes();
    bytesSent = 0;
    round();
  }

  private void round() {
    active = true;
    cursor = 0;
    inflight = 0;
    bucket = new TokenBucket(v.settings.resyncRate(), Math.max(v.settings.regionSize(), v.settings.resyncRate() / 10), v.nanos);
    log.info("volume '{}': resync to '{}' of {} starts", v.settings.name(), repl.peerNode(), Sizes.format(total));
    pump();
  }

  /** The session ended: the bitmap still marks what was not acknowledged. */
  void stop() {
    active = false;
    inflight = 0;
  }

  /** The peer wrote {@code region}. */
  void acked(int region) {
    inflight--;
    v.bitmap.clearRegion(region);
  }

  /** Sends as many regions as the window and the rate allow. */
  void pump() {
    if (!active || repl.session() == null) return;
    try {
      while (inflight < Replicator.WINDOW) {
        int r = v.bitmap.nextDirty(cursor);
        if (r < 0) {
          if (inflight == 0) finish();
          return;
        }
        int len = v.bitmap.lengthOf(r);
        long delay = bucket.delayNanos(len);
        if (delay > 0) {
          if (!pumpScheduled) {
            pumpScheduled = true;
            v.schedule(() -> {
              pumpScheduled = false;
              pump();
            }, delay);
          }
          return;
        }
        long off = v.bitmap.offsetOf(r);
        byte[] bytes = v.data.read(off, len);
        cursor = r + 1;
        inflight++;
        bytesSent += len;
        repl.sendResyncBlock(off, bytes, r);
      }
    } catch (IOException e) {
      v.lastError = "resync read failed: " + e.getMessage();
      repl.session().close(v.lastError);
    }
  }

  private void finish() {
    active = false;
    if (v.bitmap.dirtyRegions() > 0) { // regions dirtied behind the cursor: go round again
      round();
      return;
    }
    v.gens = v.gens.clearBitmap();
    v.resolveKeep = "";
    v.crashedPrimary = false;
    v.conn = ConnectionState.CONNECTED;
    v.persistOrLog();
    repl.session().send(new PeerMessage.SyncDone(v.gens));
    log.info("volume '{}': resync to '{}' complete, {} moved", v.settings.name(), repl.peerNode(), Sizes.format(bytesSent));
  }
}
