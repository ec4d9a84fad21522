package io.vigil.agents.volume.replication;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.GenerationIds;
import io.vigil.agents.volume.meta.Role;

/**
 * Messages between the two nodes of a volume. Data-carrying messages share one sequence space per
 * connection, applied strictly in order by the receiver.
 */
public sealed interface PeerMessage {
  int FLAG_FUA = 1;
  int FLAG_RESYNC = 2;

  /** First message each side sends after the link is secure. */
  record Hello(String volume, String node, long size, int regionSize, Protocol protocol, Role role, DiskState disk,
      GenerationIds gens, boolean crashedPrimary, String resolveKeep, long[] bitmapWords) implements PeerMessage {}

  /** Data to write at {@code offset}; {@code crc} is {@link PeerCodec#crc} of offset and data. */
  record Write(long seq, long offset, int flags, int crc, byte[] data) implements PeerMessage {}

  /** Zeroes to write. */
  record Zero(long seq, long offset, long length, int flags) implements PeerMessage {}

  /** Make every earlier write durable. */
  record Flush(long seq) implements PeerMessage {}

  /** Acknowledges {@code seq} (and every earlier one) at the given stage. */
  record Ack(long seq, int kind) implements PeerMessage {
    public static final int RECEIVED = 1;
    public static final int WRITTEN = 2;
    public static final int FLUSHED = 3;
  }

  /** {@code seq} arrived with a bad checksum: send it and everything after it again. */
  record Nack(long seq) implements PeerMessage {}

  /** Sent by a resync source once every region is written on the target: adopt these generations. */
  record SyncDone(GenerationIds gens) implements PeerMessage {}

  /** Online verify: the receiver digests {@code region} once every earlier message is applied, and replies. */
  record Verify(long seq, int region, long digest) implements PeerMessage {}

  /** The receiver's digest of the region named by Verify {@code seq} (also acknowledges everything up to seq). */
  record VerifyReply(long seq, long digest) implements PeerMessage {}

  /** Keep-alive sent on an otherwise idle link, so a silently partitioned peer is noticed. */
  record Ping() implements PeerMessage {}

  /**
   * An administrative request from the peer's operator ({@code vigil volume ...} run on the other
   * node), sent on a connection of its own instead of a Hello; answered with one {@link AdminReply}.
   */
  record Admin(String request) implements PeerMessage {}

  /** The answer to an {@link Admin} request: its text, or why it failed. */
  record AdminReply(boolean ok, String text) implements PeerMessage {}

  /** The sender's role or generations changed while connected. */
  record State(Role role, DiskState disk, GenerationIds gens) implements PeerMessage {}
}
