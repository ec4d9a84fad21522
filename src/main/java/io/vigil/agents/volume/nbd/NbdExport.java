package io.vigil.agents.volume.nbd;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A block device served over NBD. Operations are asynchronous; a future that fails with {@link
 * NbdException} sends its errno, any other failure sends EIO. Offsets and lengths are already
 * checked against {@link #size()} by the server.
 */
public interface NbdExport {
  /** Export name as clients ask for it. */
  String name();

  /** Size in bytes. */
  long size();

  /** Whether clients may only read. */
  boolean readOnly();

  /** Reads {@code length} bytes at {@code offset}. */
  CompletableFuture<ByteBuffer> read(long offset, int length);

  /**
   * As {@link #read(long, int)} into a buffer of {@code alloc} that the caller releases (an export
   * may read straight into pooled direct memory: no heap array, no copies on the way to the socket).
   */
  default CompletableFuture<io.netty.buffer.ByteBuf> read(long offset, int length, io.netty.buffer.ByteBufAllocator alloc) {
    return read(offset, length).thenApply(io.netty.buffer.Unpooled::wrappedBuffer);
  }

  /** Writes {@code data} at {@code offset}; with {@code fua} the data is durable when the future completes. The buffer may be reused after completion. */
  CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua);

  /** As {@link #write(long, ByteBuffer, boolean)} for data in consecutive parts (a received payload's buffers). */
  default CompletableFuture<Void> write(long offset, ByteBuffer[] parts, boolean fua) {
    if (parts.length == 1) return write(offset, parts[0], fua);
    int length = 0;
    for (ByteBuffer p : parts) length += p.remaining();
    ByteBuffer all = ByteBuffer.allocate(length);
    for (ByteBuffer p : parts) all.put(p.duplicate());
    return write(offset, all.flip(), fua);
  }

  /** Writes {@code length} zero bytes at {@code offset}. */
  CompletableFuture<Void> writeZeroes(long offset, long length, boolean fua);

  /** Makes every completed write durable. */
  CompletableFuture<Void> flush();

  /** Discards a range (advisory: the contents afterwards are unspecified but identical on every replica). */
  CompletableFuture<Void> trim(long offset, long length, boolean fua);
}
