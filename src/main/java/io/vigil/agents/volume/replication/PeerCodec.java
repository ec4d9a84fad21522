package io.vigil.agents.volume.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.GenerationIds;
import io.vigil.agents.volume.meta.Role;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Pure encode/decode of {@link PeerMessage}s into frame bodies (the length prefix is added by the pipeline). */
public final class PeerCodec {
  private PeerCodec() {}

  public static final int MAX_DATA = 32 * 1024 * 1024;
  public static final int MAX_FRAME = MAX_DATA + 64;
  private static final int MAX_STRING = 800;
  private static final int MAX_BITMAP_WORDS = 1 << 22;

  private static final byte HELLO = 1, WRITE = 2, ZERO = 3, FLUSH = 4, ACK = 5, NACK = 6, SYNC_DONE = 7, STATE = 8, VERIFY = 9, VERIFY_REPLY = 10, PING = 11, ADMIN = 12,
      ADMIN_REPLY = 13;
  /** Admin requests and replies (status text, verify summaries) may be longer than names. */
  static final int MAX_ADMIN_TEXT = 64 * 1024;

  /** CRC32C over the offset and the data, so a block delivered to the wrong place is caught too. */
  public static int crc(long offset, byte[] data) {
    return crc(offset, java.nio.ByteBuffer.wrap(data));
  }

  /** As {@link #crc(long, byte[])} over the remaining bytes of {@code data} (its position is not moved). */
  public static int crc(long offset, java.nio.ByteBuffer data) {
    CRC32C c = new CRC32C();
    for (int i = 56; i >= 0; i -= 8) c.update((int) (offset >>> i));
    c.update(data.duplicate());
    return (int) c.getValue();
  }

  public static ByteBuf encode(PeerMessage m, ByteBufAllocator alloc) {
    return switch (m) {
      case PeerMessage.Hello h -> {
        ByteBuf b = alloc.buffer(128 + 8 * h.bitmapWords().length).writeByte(HELLO);
        string(b, h.volume());
        string(b, h.node());
        b.writeLong(h.size()).writeInt(h.regionSize()).writeByte(h.protocol().ordinal()).writeByte(h.role().ordinal())
            .writeByte(h.disk().ordinal());
        gens(b, h.gens());
        b.writeBoolean(h.crashedPrimary());
        string(b, h.resolveKeep());
        b.writeInt(h.bitmapWords().length);
        for (long w : h.bitmapWords()) b.writeLong(w);
        yield b;
      }
      // Header plus the data array itself (no copy of the block; the array is never changed after sending).
      case PeerMessage.Write w -> Unpooled.wrappedBuffer(Unpooled.buffer(29).writeByte(WRITE).writeLong(w.seq()).writeLong(w.offset())
          .writeInt(w.flags()).writeInt(w.crc()).writeInt(w.data().length), Unpooled.wrappedBuffer(w.data()));
      case PeerMessage.Zero z -> alloc.buffer(29).writeByte(ZERO).writeLong(z.seq()).writeLong(z.offset()).writeLong(z.length())
          .writeInt(z.flags());
      case PeerMessage.Flush f -> alloc.buffer(9).writeByte(FLUSH).writeLong(f.seq());
      case PeerMessage.Ack a -> alloc.buffer(10).writeByte(ACK).writeLong(a.seq()).writeByte(a.kind());
      case PeerMessage.Nack n -> alloc.buffer(9).writeByte(NACK).writeLong(n.seq());
      case PeerMessage.SyncDone s -> gens(alloc.buffer(41).writeByte(SYNC_DONE), s.gens());
      case PeerMessage.Verify q -> alloc.buffer(21).writeByte(VERIFY).writeLong(q.seq()).writeInt(q.region()).writeLong(q.digest());
      case PeerMessage.VerifyReply r -> alloc.buffer(17).writeByte(VERIFY_REPLY).writeLong(r.seq()).writeLong(r.digest());
      case PeerMessage.Ping p -> alloc.buffer(1).writeByte(PING);
      case PeerMessage.Admin a -> text(alloc.buffer(64).writeByte(ADMIN), a.request());
      case PeerMessage.AdminReply r -> text(alloc.buffer(64).writeByte(ADMIN_REPLY).writeBoolean(r.ok()), r.text());
      case PeerMessage.State s -> gens(alloc.buffer(43).writeByte(STATE).writeByte(s.role().ordinal()).writeByte(s.disk().ordinal()), s.gens());
    };
  }

  /** Decodes one frame body; throws {@link PeerProtocolException} for anything malformed. */
  public static PeerMessage decode(ByteBuf b) {
    return decode(b, byte[]::new);
  }

  /** As {@link #decode(ByteBuf)}, taking the data array of a Write from {@code arrays} (e.g. a {@link BlockPool}). */
  public static PeerMessage decode(ByteBuf b, java.util.function.IntFunction<byte[]> arrays) {
    try {
      PeerMessage m = switch (b.readByte()) {
        case HELLO -> {
          String volume = string(b);
          String node = string(b);
          long size = b.readLong();
          int regionSize = b.readInt();
          Protocol protocol = pick(Protocol.values(), b.readByte(), "protocol");
          Role role = pick(Role.values(), b.readByte(), "role");
          DiskState disk = pick(DiskState.values(), b.readByte(), "disk state");
          GenerationIds gens = gens(b);
          boolean crashed = b.readBoolean();
          String keep = string(b);
          int n = b.readInt();
          if (n < 0 || n > MAX_BITMAP_WORDS || n > b.readableBytes() / 8) throw new PeerProtocolException("bitmap of " + n + " words");
          long[] words = new long[n];
          for (int i = 0; i < n; i++) words[i] = b.readLong();
          yield new PeerMessage.Hello(volume, node, size, regionSize, protocol, role, disk, gens, crashed, keep, words);
        }
        case WRITE -> {
          long seq = b.readLong();
          long offset = b.readLong();
          int flags = b.readInt();
          int crc = b.readInt();
          int length = b.readInt();
          if (length < 0 || length > MAX_DATA || length != b.readableBytes()) {
            throw new PeerProtocolException("write data length " + length + " with " + b.readableBytes() + " bytes left");
          }
          byte[] data = arrays.apply(length);
          b.readBytes(data);
          yield new PeerMessage.Write(seq, offset, flags, crc, data);
        }
        case ZERO -> new PeerMessage.Zero(b.readLong(), b.readLong(), b.readLong(), b.readInt());
        case FLUSH -> new PeerMessage.Flush(b.readLong());
        case ACK -> {
          long seq = b.readLong();
          int kind = b.readByte();
          if (kind < PeerMessage.Ack.RECEIVED || kind > PeerMessage.Ack.FLUSHED) throw new PeerProtocolException("ack kind " + kind);
          yield new PeerMessage.Ack(seq, kind);
        }
        case NACK -> new PeerMessage.Nack(b.readLong());
        case SYNC_DONE -> new PeerMessage.SyncDone(gens(b));
        case VERIFY -> new PeerMessage.Verify(b.readLong(), b.readInt(), b.readLong());
        case VERIFY_REPLY -> new PeerMessage.VerifyReply(b.readLong(), b.readLong());
        case PING -> new PeerMessage.Ping();
        case ADMIN -> new PeerMessage.Admin(text(b));
        case ADMIN_REPLY -> new PeerMessage.AdminReply(b.readBoolean(), text(b));
        case STATE -> new PeerMessage.State(pick(Role.values(), b.readByte(), "role"), pick(DiskState.values(), b.readByte(), "disk state"), gens(b));
        default -> throw new PeerProtocolException("unknown message type " + b.getByte(b.readerIndex() - 1));
      };
      if (b.isReadable()) throw new PeerProtocolException(b.readableBytes() + " trailing bytes after " + m.getClass().getSimpleName());
      return m;
    } catch (IndexOutOfBoundsException e) {
      throw new PeerProtocolException("truncated message");
    }
  }

  private static void string(ByteBuf b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_STRING) throw new IllegalArgumentException("string of " + bytes.length + " bytes exceeds " + MAX_STRING);
    b.writeShort(bytes.length).writeBytes(bytes);
  }

  private static String string(ByteBuf b) {
    int n = b.readUnsignedShort();
    if (n > MAX_STRING) throw new PeerProtocolException("string of " + n + " bytes");
    return b.readCharSequence(n, StandardCharsets.UTF_8).toString();
  }

  private static ByteBuf text(ByteBuf b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_ADMIN_TEXT) bytes = java.util.Arrays.copyOf(bytes, MAX_ADMIN_TEXT); // a reply is text for a human; cut, not refused
    return b.writeInt(bytes.length).writeBytes(bytes);
  }

  private static String text(ByteBuf b) {
    int n = b.readInt();
    if (n < 0 || n > MAX_ADMIN_TEXT || n > b.readableBytes()) throw new PeerProtocolException("admin text of " + n + " bytes");
    return b.readCharSequence(n, StandardCharsets.UTF_8).toString();
  }

  private static ByteBuf gens(ByteBuf b, GenerationIds g) {
    return b.writeLong(g.current()).writeLong(g.bitmap()).writeLong(g.history1()).writeLong(g.history2()).writeLong(g.currentSince());
  }

  private static GenerationIds gens(ByteBuf b) {
    return new GenerationIds(b.readLong(), b.readLong(), b.readLong(), b.readLong(), b.readLong());
  }

  private static <E> E pick(E[] values, byte code, String what) {
    if (code < 0 || code >= values.length) throw new PeerProtocolException(what + " code " + code + " unknown");
    return values[code];
  }
}
