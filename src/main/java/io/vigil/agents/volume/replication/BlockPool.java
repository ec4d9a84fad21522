package io.vigil.agents.volume.replication;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycles block-sized byte arrays of replicated writes. Why: a fresh 1 MiB array per write costs
 * the JVM a page-faulting memset per block (about a sixth of a node's CPU under sequential writes,
 * measured with perf); recycled arrays cost nothing. Arrays are keyed by exact length, and at most
 * {@code maxBytes} are kept. Thread-safe (the link and the engine may run on different threads).
 */
public final class BlockPool {
  private final long maxBytes;
  private final Map<Integer, ArrayDeque<byte[]>> free = new HashMap<>();
  private long keptBytes;

  public BlockPool(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** An array of exactly {@code length} bytes with undefined contents (the caller overwrites all of it). */
  public synchronized byte[] take(int length) {
    ArrayDeque<byte[]> q = free.get(length);
    byte[] a = q == null ? null : q.pollFirst();
    if (a == null) return new byte[length];
    keptBytes -= length;
    return a;
  }

  /** Returns an array nobody reads or writes any more; kept for reuse if there is room. */
  public synchronized void give(byte[] a) {
    if (a.length < 4096 || keptBytes + a.length > maxBytes) return;
    free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addFirst(a);
    keptBytes += a.length;
  }
}
