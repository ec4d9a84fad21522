package io.vigil.fencing.topology;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Where finished operations are recorded; the cluster runtime replicates it, this one is in memory and bounded. */
public final class FenceHistory {
  private final int capacity;
  private final Deque<FenceOperation> ops = new ArrayDeque<>();

  public FenceHistory(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("history capacity must be >= 1, got " + capacity);
    this.capacity = capacity;
  }

  public synchronized void record(FenceOperation op) {
    ops.addLast(op);
    while (ops.size() > capacity) ops.removeFirst();
  }

  /** Every operation, oldest first; for one node when {@code node} is non-null. */
  public synchronized List<FenceOperation> list(String node) {
    List<FenceOperation> out = new ArrayList<>();
    for (FenceOperation o : ops) if (node == null || o.target().equals(node)) out.add(o);
    return out;
  }
}
