package io.vigil.agents.volume.meta;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The metadata file beside a volume's data: two slots, written alternately with an increasing
 * sequence number and fsync'd, so an update is atomic (a torn write leaves the other slot valid)
 * and opening picks the valid slot with the highest sequence number.
 */
public final class MetadataFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final int slotSize;
  private long seq;

  private MetadataFile(Path path, FileChannel channel, int slotSize, long seq) {
    this.path = path;
    this.channel = channel;
    this.slotSize = slotSize;
    this.seq = seq;
  }

  /** Creates the file (which must not exist) holding {@code initial}. */
  public static MetadataFile create(Path path, VolumeMetadata initial) throws IOException {
    int slotSize = MetadataCodec.slotSize(initial.size(), initial.regionSize());
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    ch.write(ByteBuffer.allocate(2 * slotSize), 0);
    MetadataFile f = new MetadataFile(path, ch, slotSize, 0);
    f.write(initial);
    try (FileChannel dir = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true); // make the new directory entry durable too
    }
    return f;
  }

  /** Result of {@link #open}. */
  public record Opened(MetadataFile file, VolumeMetadata meta) {}

  /** Opens an existing file and returns its newest valid content. */
  public static Opened open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long length = ch.size();
      if (length == 0 || length % 2 != 0 || length / 2 % 4096 != 0 || length > (1L << 31)) {
        throw new IOException("volume metadata " + path + ": length " + length + " is not two 4 KiB-aligned slots");
      }
      int slotSize = (int) (length / 2);
      MetadataCodec.Slot best = null;
      StringBuilder errors = new StringBuilder();
      for (int i = 0; i < 2; i++) {
        ByteBuffer b = ByteBuffer.allocate(slotSize);
        ch.read(b, (long) i * slotSize);
        b.flip();
        try {
          MetadataCodec.Slot s = MetadataCodec.decode(b);
          if (best == null || s.seq() > best.seq()) best = s;
        } catch (MetadataCodec.MetadataException e) {
          errors.append(" slot ").append(i).append(": ").append(e.getMessage()).append(';');
        }
      }
      if (best == null) throw new IOException("volume metadata " + path + ": no valid slot (" + errors.toString().trim() + ")");
      if (MetadataCodec.slotSize(best.meta().size(), best.meta().regionSize()) > slotSize) {
        throw new IOException("volume metadata " + path + ": slot of " + slotSize + " bytes too small for the recorded size");
      }
      return new Opened(new MetadataFile(path, ch, slotSize, best.seq()), best.meta());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Atomically replaces the content: writes the older slot, then fsyncs. */
  public synchronized void write(VolumeMetadata meta) throws IOException {
    byte[] bytes = MetadataCodec.encode(meta, seq + 1);
    if (bytes.length > slotSize) throw new IOException("volume metadata " + path + ": " + bytes.length + " bytes exceed slot of " + slotSize);
    long slot = (seq + 1) % 2;
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long pos = slot * slotSize;
    while (b.hasRemaining()) pos += channel.write(b, pos);
    channel.force(false);
    seq++;
  }

  public Path path() { return path; }

  public int slotSize() { return slotSize; }

  /**
   * Replaces the file by one whose slots fit {@code meta} (a grown volume's larger bitmap): written
   * to a temporary file, fsync'd, renamed over this one atomically, so a crash leaves either file
   * whole. This object is closed; use the returned one.
   */
  public MetadataFile replaceWithLargerSlots(VolumeMetadata meta) throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".grow");
    Files.deleteIfExists(tmp);
    MetadataFile grown = create(tmp, meta);
    try {
      Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException | RuntimeException e) {
      grown.close();
      Files.deleteIfExists(tmp);
      throw e;
    }
    channel.close();
    return new MetadataFile(path, grown.channel, grown.slotSize, grown.seq);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
