package io.vigil.agents.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The local copy of a volume's data: a file (sparse when created here) or a block device. */
final class BackingFile implements AutoCloseable {
  private static final byte[] ZEROES = new byte[1 << 20];
  private final Path path;
  private final FileChannel channel;

  private BackingFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** Opens {@code path}, which must hold at least {@code size} bytes. */
  static BackingFile open(String volume, Path path, long size) throws IOException {
    if (!Files.exists(path)) throw new IOException("volume '" + volume + "': backing file " + path + " does not exist");
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long have = Files.isRegularFile(path) ? ch.size() : size;
    if (have < size) {
      ch.close();
      throw new IOException("volume '" + volume + "': backing file " + path + " is " + Sizes.format(have) + ", expected >= " + Sizes.format(size));
    }
    return new BackingFile(path, ch);
  }

  /** Creates a new sparse, zero-filled file of {@code size} bytes (fails if it exists). */
  static void createZeroed(Path path, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      if (size > 0) ch.write(ByteBuffer.allocate(1), size - 1); // extends to size, leaving a hole
      ch.force(true);
    }
  }

  byte[] read(long offset, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      int n = channel.read(b, offset + b.position());
      if (n < 0) break; // a block device never ends early; a short file reads as zeroes
    }
    return b.array();
  }

  /** Fills the remaining bytes of {@code b} from {@code offset} (a short file reads as zeroes past its end). */
  void read(long offset, ByteBuffer b) throws IOException {
    int start = b.position();
    while (b.hasRemaining()) {
      int n = channel.read(b, offset + b.position() - start);
      if (n < 0) {
        while (b.hasRemaining()) b.put((byte) 0);
      }
    }
  }

  void write(long offset, byte[] data) throws IOException {
    write(offset, ByteBuffer.wrap(data));
  }

  /** Writes the remaining bytes of {@code b} at {@code offset} (a direct buffer avoids the JDK's bounce copy). */
  void write(long offset, ByteBuffer b) throws IOException {
    int start = b.position();
    while (b.hasRemaining()) channel.write(b, offset + b.position() - start);
  }

  /** Writes consecutive {@code parts} at {@code offset} (one positional write each: FileChannel has no positional gather). */
  void write(long offset, ByteBuffer[] parts) throws IOException {
    long at = offset;
    for (ByteBuffer p : parts) {
      ByteBuffer b = p.duplicate();
      int n = b.remaining();
      write(at, b);
      at += n;
    }
  }

  void writeZeroes(long offset, long length) throws IOException {
    long done = 0;
    while (done < length) {
      int n = (int) Math.min(ZEROES.length, length - done);
      ByteBuffer b = ByteBuffer.wrap(ZEROES, 0, n);
      while (b.hasRemaining()) channel.write(b, offset + done + b.position());
      done += n;
    }
  }

  /**
   * Grows the copy from {@code oldSize} to {@code newSize} bytes so that the new area reads as zero
   * on every node: a file is extended sparsely (bytes it already held beyond the old end are zeroed);
   * a block device must already be large enough (grow it first, e.g. lvextend) and its new area is zeroed.
   */
  void grow(long oldSize, long newSize) throws IOException {
    long have = channel.size();
    if (Files.isRegularFile(path)) {
      if (have > oldSize) writeZeroes(oldSize, Math.min(have, newSize) - oldSize);
      if (have < newSize) channel.write(ByteBuffer.allocate(1), newSize - 1); // extends to newSize, leaving a hole
    } else {
      if (have > 0 && have < newSize) {
        throw new IOException("backing device " + path + " is " + Sizes.format(have) + ", expected >= " + Sizes.format(newSize)
            + "; grow it first (nothing changed)");
      }
      writeZeroes(oldSize, newSize - oldSize);
    }
    channel.force(true);
  }

  void force() throws IOException {
    channel.force(false);
  }

  Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
