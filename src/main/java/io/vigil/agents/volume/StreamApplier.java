package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.Role;
import io.vigil.agents.volume.replication.PeerCodec;
import io.vigil.agents.volume.replication.PeerMessage;
import io.vigil.agents.volume.replication.PeerSession;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of replication, confined to the engine's io thread: applies data-carrying
 * messages strictly in sequence, checks every block's CRC32C, NACKs a bad block once and drops what
 * follows until the sender resends it (go-back-N), and replies per message (ack, flush ack, verify digest).
 */
final class StreamApplier {
  private static final Logger log = LoggerFactory.getLogger(StreamApplier.class);
  private final VolumeEngine v;
  private long expectedSeq;
  private boolean nackOutstanding;
  private long crcErrors;
  private int appliedSinceMetadata;
  private long resyncBytes;

  StreamApplier(VolumeEngine v) {
    this.v = v;
  }

  /** A new session starts at sequence 0. */
  void reset() {
    expectedSeq = 0;
    nackOutstanding = false;
    resyncBytes = 0;
  }

  long crcErrors() { return crcErrors; }
  long resyncBytes() { return resyncBytes; }

  /** Applies one in-order message and returns the reply to send, or null after a checksum failure (nack sent). */
  interface Applier {
    PeerMessage apply() throws IOException;
  }

  void apply(PeerSession s, long seq, Applier applier) throws IOException {
    if (v.role == Role.PRIMARY) throw new IllegalStateException("peer sent data to a Primary (dual-primary is not supported)");
    if (seq != expectedSeq) {
      if (!nackOutstanding && seq > expectedSeq) {
        s.send(new PeerMessage.Nack(expectedSeq));
        nackOutstanding = true;
      }
      return; // waiting for the resend of expectedSeq
    }
    PeerMessage reply = applier.apply();
    if (reply == null) return;
    nackOutstanding = false;
    expectedSeq++;
    s.send(reply);
  }

  PeerMessage write(PeerSession s, PeerMessage.Write w) throws IOException {
    if (PeerCodec.crc(w.offset(), w.data()) != w.crc()) {
      crcErrors++;
      log.warn("volume '{}': CRC32C mismatch in block at offset {} ({} bytes, sequence {}) from {}; asking for it again",
          v.settings.name(), w.offset(), w.data().length, w.seq(), s.remote());
      s.send(new PeerMessage.Nack(w.seq()));
      nackOutstanding = true;
      return null;
    }
    checkRange(w.offset(), w.data().length);
    v.data.write(w.offset(), w.data());
    v.blocks.give(w.data()); // written: nobody reads this array again
    if ((w.flags() & PeerMessage.FLAG_FUA) != 0) v.data.force();
    if ((w.flags() & PeerMessage.FLAG_RESYNC) != 0) {
      v.bitmap.clearRegion((int) (w.offset() / v.settings.regionSize()));
      resyncBytes += w.data().length;
      if (++appliedSinceMetadata >= 256) {
        appliedSinceMetadata = 0;
        v.data.force(); // the bitmap on disk may only shrink once the data it stops tracking is durable
        v.persist();
      }
    }
    return new PeerMessage.Ack(w.seq(), PeerMessage.Ack.WRITTEN);
  }

  PeerMessage zero(PeerMessage.Zero z) throws IOException {
    checkRange(z.offset(), z.length());
    v.data.writeZeroes(z.offset(), z.length());
    if ((z.flags() & PeerMessage.FLAG_FUA) != 0) v.data.force();
    return new PeerMessage.Ack(z.seq(), PeerMessage.Ack.WRITTEN);
  }

  PeerMessage flush(PeerMessage.Flush f) throws IOException {
    v.data.force();
    return new PeerMessage.Ack(f.seq(), PeerMessage.Ack.FLUSHED);
  }

  private void checkRange(long offset, long length) {
    if (offset < 0 || length < 0 || offset > v.settings.size() - length) {
      throw new IllegalStateException("peer wrote " + length + " bytes at " + offset + " beyond the volume size " + v.settings.size());
    }
  }
}
