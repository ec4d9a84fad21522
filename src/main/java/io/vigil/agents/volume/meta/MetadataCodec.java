package io.vigil.agents.volume.meta;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes one metadata slot: magic, version, sequence number, payload length, payload, CRC32C over
 * everything before it. Decoding validates every field and never trusts a length it has not checked.
 */
public final class MetadataCodec {
  private MetadataCodec() {}

  static final long MAGIC = 0x5649474C564D4554L; // "VIGLVMET"
  static final int VERSION = 1;
  static final int HEADER = 8 + 4 + 8 + 4;
  static final int MAX_AL = 4096;
  /** The forced record at the end of the payload: when (epoch millis) and the disk state before (ordinal, -1 = never). */
  static final int FORCED_BYTES = 9;
  /** Bytes covered by one activity-log entry. */
  public static final long AL_EXTENT = 4L << 20;

  /** A decoded slot. */
  public record Slot(long seq, VolumeMetadata meta) {}

  /** Bytes a slot needs for a volume of these dimensions (rounded up to 4 KiB). */
  public static int slotSize(long size, int regionSize) {
    long regions = (size + regionSize - 1) / regionSize;
    long payload = 2 + 800 + 8 + 4 + 3 + 5 * 8 + 2 + 800 + 16 + 4 + 4L * MAX_AL + 4 + 8 * ((regions + 63) / 64);
    long total = HEADER + payload + 4;
    return (int) ((total + 4095) / 4096 * 4096);
  }

  public static byte[] encode(VolumeMetadata m, long seq) {
    byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
    long[] words = m.bitmapWords();
    List<Integer> al = m.activityLog();
    byte[] keep = m.resolveKeep().getBytes(StandardCharsets.UTF_8);
    if (al.size() > MAX_AL) throw new IllegalArgumentException("activity log of " + al.size() + " regions exceeds " + MAX_AL);
    int payload = 2 + name.length + 8 + 4 + 3 + 5 * 8 + 2 + keep.length + 16 + 4 + 4 * al.size() + 4 + 8 * words.length + FORCED_BYTES;
    ByteBuffer b = ByteBuffer.allocate(HEADER + payload + 4);
    b.putLong(MAGIC).putInt(VERSION).putLong(seq).putInt(payload);
    b.putShort((short) name.length).put(name).putLong(m.size()).putInt(m.regionSize());
    b.put((byte) m.role().ordinal()).put((byte) m.diskState().ordinal()).put((byte) (m.crashedPrimary() ? 1 : 0));
    GenerationIds g = m.gens();
    b.putLong(g.current()).putLong(g.bitmap()).putLong(g.history1()).putLong(g.history2()).putLong(g.currentSince());
    b.putShort((short) keep.length).put(keep).putLong(m.lastVerifyMillis()).putLong(m.lastVerifyDiffBytes());
    b.putInt(al.size());
    al.forEach(b::putInt);
    b.putInt(words.length);
    for (long w : words) b.putLong(w);
    // Appended after the bitmap so slots written before it existed still decode (no forced record);
    // its 9 bytes come out of the 800 bytes slotSize reserves for each of name and keep (ASCII, at most 200).
    b.putLong(m.forcedMillis()).put((byte) (m.forcedFrom() == null ? -1 : m.forcedFrom().ordinal()));
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** Decodes a slot or throws {@link MetadataException} saying what is wrong with it. */
  public static Slot decode(ByteBuffer in) {
    ByteBuffer b = in.duplicate();
    try {
      int start = b.position();
      if (b.getLong() != MAGIC) throw new MetadataException("no metadata magic");
      int version = b.getInt();
      if (version != VERSION) throw new MetadataException("version " + version + ", expected " + VERSION);
      long seq = b.getLong();
      int payload = b.getInt();
      if (payload < 0 || payload > b.remaining() - 4) throw new MetadataException("payload length " + payload + " exceeds slot");
      CRC32C crc = new CRC32C();
      crc.update(b.array(), b.arrayOffset() + start, HEADER + payload);
      int stored = b.getInt(start + HEADER + payload);
      if (stored != (int) crc.getValue()) throw new MetadataException("CRC32C mismatch");
      ByteBuffer p = b.slice(start + HEADER, payload);
      byte[] name = new byte[Short.toUnsignedInt(p.getShort())];
      p.get(name);
      long size = p.getLong();
      int regionSize = p.getInt();
      Role role = enumAt(Role.values(), p.get(), "role");
      DiskState disk = enumAt(DiskState.values(), p.get(), "disk state");
      byte flags = p.get();
      if ((flags & ~1) != 0) throw new MetadataException("unknown flags " + flags);
      GenerationIds gens = new GenerationIds(p.getLong(), p.getLong(), p.getLong(), p.getLong(), p.getLong());
      byte[] keep = new byte[Short.toUnsignedInt(p.getShort())];
      p.get(keep);
      long verifyAt = p.getLong();
      long verifyDiff = p.getLong();
      int alCount = p.getInt();
      if (alCount < 0 || alCount > MAX_AL) throw new MetadataException("activity log count " + alCount);
      List<Integer> al = new ArrayList<>(alCount);
      for (int i = 0; i < alCount; i++) al.add(p.getInt());
      int wordCount = p.getInt();
      if (wordCount < 0 || wordCount > p.remaining() / 8) throw new MetadataException("bitmap word count " + wordCount);
      long[] words = new long[wordCount];
      for (int i = 0; i < wordCount; i++) words[i] = p.getLong();
      long forcedAt = 0;
      DiskState forcedFrom = null;
      if (p.remaining() == FORCED_BYTES) {
        forcedAt = p.getLong();
        byte from = p.get();
        if (from != -1) forcedFrom = enumAt(DiskState.values(), from, "forced-from disk state");
        if ((forcedAt == 0) != (forcedFrom == null)) throw new MetadataException("forced record " + forcedAt + "/" + from + " half set");
      }
      if (p.hasRemaining()) throw new MetadataException(p.remaining() + " trailing payload bytes");
      try {
        long regions = (size + regionSize - 1) / Math.max(1, regionSize);
        if (words.length != (regions + 63) / 64) throw new MetadataException("bitmap has " + words.length + " words for " + regions + " regions");
        long extents = (size + AL_EXTENT - 1) / AL_EXTENT;
        for (int e : al) {
          if (e < 0 || e >= extents) throw new MetadataException("activity log extent " + e + " outside 0.." + (extents - 1));
        }
        new DirtyBitmap(size, regionSize);
        return new Slot(seq, new VolumeMetadata(new String(name, StandardCharsets.UTF_8), size, regionSize, role, disk, flags == 1, gens,
            words, al, new String(keep, StandardCharsets.UTF_8), verifyAt, verifyDiff, forcedAt, forcedFrom));
      } catch (IllegalArgumentException e) {
        throw new MetadataException(e.getMessage());
      }
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new MetadataException("truncated slot");
    }
  }

  private static <E extends Enum<E>> E enumAt(E[] values, byte ordinal, String what) {
    if (ordinal < 0 || ordinal >= values.length) throw new MetadataException(what + " code " + ordinal + " unknown");
    return values[ordinal];
  }

  /** A slot that cannot be decoded. */
  public static final class MetadataException extends RuntimeException {
    public MetadataException(String message) {
      super(message);
    }
  }
}
