package io.vigil.agents.volume.meta;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;

/**
 * Extents (4 MiB, {@link MetadataCodec#AL_EXTENT}) a primary may be writing, recorded on disk before a
 * write enters one, so that after a crash of the primary only these extents (plus the bitmap) need a
 * resync. Bounded LRU of extent indices.
 */
public final class ActivityLog {
  private final int capacity;
  private final SequencedSet<Integer> regions = new LinkedHashSet<>();

  public ActivityLog(int capacity, List<Integer> initial) {
    if (capacity < 1) throw new IllegalArgumentException("activity log capacity " + capacity + " must be >= 1");
    this.capacity = capacity;
    initial.forEach(regions::add);
  }

  /**
   * Records {@code region} as active; returns true if the set changed (it must be persisted before
   * the write). {@code busy} regions (writes in flight) are never evicted.
   */
  public boolean touch(int region, java.util.function.IntPredicate busy) {
    if (regions.contains(region)) {
      regions.remove(region);
      regions.addLast(region);
      return false;
    }
    if (regions.size() >= capacity) {
      for (Integer r : regions) {
        if (!busy.test(r)) {
          regions.remove(r);
          break;
        }
      }
    }
    regions.addLast(region);
    return true;
  }

  public boolean contains(int region) { return regions.contains(region); }
  public List<Integer> regions() { return List.copyOf(regions); }
  public void clear() { regions.clear(); }
}
