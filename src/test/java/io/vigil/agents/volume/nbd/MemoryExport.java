package io.vigil.agents.volume.nbd;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An in-memory export for tests of the NBD protocol layer (the disk is not what these tests claim). */
class MemoryExport implements NbdExport, NbdExports {
  final byte[] data;
  private final String name;
  int flushes;
  volatile String refusal;

  MemoryExport(String name, int size) {
    this.name = name;
    this.data = new byte[size];
  }

  @Override public String name() { return name; }
  @Override public long size() { return data.length; }
  @Override public boolean readOnly() { return false; }

  @Override
  public synchronized CompletableFuture<ByteBuffer> read(long offset, int length) {
    return CompletableFuture.completedFuture(ByteBuffer.wrap(Arrays.copyOfRange(data, (int) offset, (int) offset + length)));
  }

  @Override
  public synchronized CompletableFuture<Void> write(long offset, ByteBuffer src, boolean fua) {
    src.get(data, (int) offset, src.remaining());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> writeZeroes(long offset, long length, boolean fua) {
    Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> flush() {
    flushes++;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> trim(long offset, long length, boolean fua) {
    return CompletableFuture.completedFuture(null);
  }

  @Override public List<String> names() { return List.of(name); }

  @Override
  public Lookup open(String requested) {
    if (!requested.equals(name)) return new Lookup.Unknown();
    return refusal != null ? new Lookup.Refused(refusal) : new Lookup.Found(this);
  }
}
