package io.vigil.agents.volume.meta;

import java.util.Arrays;
import java.util.BitSet;

/** One bit per region of the volume: set = the region may differ from the peer's copy. Not thread-safe. */
public final class DirtyBitmap {
  private final long size;
  private final int regionSize;
  private final BitSet bits;
  private final int regions;

  /** An empty bitmap for {@code size} bytes in regions of {@code regionSize} bytes (a power of two). */
  public DirtyBitmap(long size, int regionSize) {
    if (regionSize < 4096 || Integer.bitCount(regionSize) != 1) {
      throw new IllegalArgumentException("region size " + regionSize + " must be a power of two >= 4096");
    }
    long count = (size + regionSize - 1) / regionSize;
    if (count > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("volume of " + size + " bytes needs " + count + " regions; use a larger region size");
    }
    this.size = size;
    this.regionSize = regionSize;
    this.regions = (int) count;
    this.bits = new BitSet(regions);
  }

  public static DirtyBitmap of(long size, int regionSize, long[] words) {
    DirtyBitmap b = new DirtyBitmap(size, regionSize);
    b.bits.or(BitSet.valueOf(words));
    b.bits.clear(b.regions, Math.max(b.regions, b.bits.length()));
    return b;
  }

  public int regionSize() { return regionSize; }
  public int regions() { return regions; }

  /** Marks every region touched by [offset, offset+length); returns how many bits were newly set. */
  public int markDirty(long offset, long length) {
    if (length <= 0) return 0;
    int first = (int) (offset / regionSize);
    int last = (int) ((offset + length - 1) / regionSize);
    int before = bits.cardinality();
    bits.set(first, last + 1);
    return bits.cardinality() - before;
  }

  public void markRegion(int region) { bits.set(region); }
  public void clearRegion(int region) { bits.clear(region); }
  public boolean isDirty(int region) { return bits.get(region); }
  public int dirtyRegions() { return bits.cardinality(); }
  public void clearAll() { bits.clear(); }
  public void setAll() { bits.set(0, regions); }
  public void or(DirtyBitmap other) { bits.or(other.bits); }

  /** Next dirty region at or after {@code from}, or -1. */
  public int nextDirty(int from) { return bits.nextSetBit(from); }

  /** Byte offset of a region. */
  public long offsetOf(int region) { return (long) region * regionSize; }

  /** Length in bytes of a region (the last one may be short). */
  public int lengthOf(int region) { return (int) Math.min(regionSize, size - offsetOf(region)); }

  /** Bytes covered by dirty regions (the last region counted by its real length). */
  public long dirtyBytes() {
    long total = 0;
    for (int r = bits.nextSetBit(0); r >= 0; r = bits.nextSetBit(r + 1)) total += lengthOf(r);
    return total;
  }

  public long[] words() {
    long[] w = bits.toLongArray();
    return Arrays.copyOf(w, (regions + 63) / 64);
  }

  public DirtyBitmap copy() {
    return of(size, regionSize, words());
  }
}
