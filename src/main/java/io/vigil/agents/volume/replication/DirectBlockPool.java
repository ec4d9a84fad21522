package io.vigil.agents.volume.replication;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycles direct buffers for received blocks, as {@link BlockPool} recycles arrays. Why direct: a
 * positional write from a heap buffer makes the JDK copy it into a temporary direct buffer first
 * (one extra memcpy of every replicated byte on the Secondary); decoding straight into a direct
 * buffer replaces the copy into an array, so that bounce copy disappears. Keyed by exact capacity,
 * at most {@code maxBytes} kept (a fresh direct buffer is zero-filled by the JDK, hence recycling).
 * Thread-safe (the link decodes, the engine writes and returns).
 */
public final class DirectBlockPool {
  private final long maxBytes;
  private final Map<Integer, ArrayDeque<ByteBuffer>> free = new HashMap<>();
  private long keptBytes;

  public DirectBlockPool(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** A direct buffer of capacity {@code length}, cleared, with undefined contents. */
  public synchronized ByteBuffer take(int length) {
    ArrayDeque<ByteBuffer> q = free.get(length);
    ByteBuffer b = q == null ? null : q.pollFirst();
    if (b == null) return ByteBuffer.allocateDirect(length);
    keptBytes -= length;
    return b.clear();
  }

  /** Returns a buffer nobody reads or writes any more; kept for reuse if there is room. */
  public synchronized void give(ByteBuffer b) {
    if (!b.isDirect() || b.capacity() < 4096 || keptBytes + b.capacity() > maxBytes) return;
    free.computeIfAbsent(b.capacity(), k -> new ArrayDeque<>()).addFirst(b);
    keptBytes += b.capacity();
  }
}
