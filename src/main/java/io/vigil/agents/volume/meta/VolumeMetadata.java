package io.vigil.agents.volume.meta;

import java.util.List;
import java.util.Objects;

/**
 * Everything a node persists about its copy of a volume besides the data.
 *
 * @param crashedPrimary the copy was Primary when its process died; its activity log is merged into the bitmap and it
 *     is the source for those regions if the peer did not move on (cleared by the next sync)
 * @param resolveKeep node named by {@code resolve --keep NODE} ("" = none): that node's data wins the next connect
 * @param lastVerifyMillis when the last online verify finished (0 = never), with the bytes it found differing
 * @param forcedMillis when an operator last forced this copy UpToDate ({@code primary --force}; 0 = never), with the
 *     disk state it had then ({@code forcedFrom}, null when never forced)
 */
public record VolumeMetadata(
    String name,
    long size,
    int regionSize,
    Role role,
    DiskState diskState,
    boolean crashedPrimary,
    GenerationIds gens,
    long[] bitmapWords,
    List<Integer> activityLog,
    String resolveKeep,
    long lastVerifyMillis,
    long lastVerifyDiffBytes,
    long forcedMillis,
    DiskState forcedFrom) {

  /** Metadata of a copy that was never forced. */
  public VolumeMetadata(String name, long size, int regionSize, Role role, DiskState diskState, boolean crashedPrimary,
      GenerationIds gens, long[] bitmapWords, List<Integer> activityLog, String resolveKeep, long lastVerifyMillis,
      long lastVerifyDiffBytes) {
    this(name, size, regionSize, role, diskState, crashedPrimary, gens, bitmapWords, activityLog, resolveKeep, lastVerifyMillis,
        lastVerifyDiffBytes, 0, null);
  }

  public VolumeMetadata {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > 200) throw new IllegalArgumentException("volume name '" + name + "' must have 1..200 characters");
    if (size <= 0) throw new IllegalArgumentException("volume '" + name + "': size " + size + " must be > 0");
    Objects.requireNonNull(resolveKeep, "resolveKeep");
    if (resolveKeep.length() > 200) throw new IllegalArgumentException("node name to keep has more than 200 characters");
    activityLog = List.copyOf(activityLog);
    bitmapWords = bitmapWords.clone();
    if ((forcedMillis == 0) != (forcedFrom == null)) {
      throw new IllegalArgumentException("forced time " + forcedMillis + " and forced-from state " + forcedFrom + " must both be set or both unset");
    }
  }

  @Override
  public long[] bitmapWords() {
    return bitmapWords.clone();
  }

  public DirtyBitmap bitmap() {
    return DirtyBitmap.of(size, regionSize, bitmapWords);
  }

  public VolumeMetadata with(Role r, DiskState d, GenerationIds g) {
    return new VolumeMetadata(name, size, regionSize, r, d, crashedPrimary, g, bitmapWords, activityLog, resolveKeep, lastVerifyMillis, lastVerifyDiffBytes, forcedMillis, forcedFrom);
  }

  public VolumeMetadata withTracking(DirtyBitmap bitmap, List<Integer> al) {
    return new VolumeMetadata(name, size, regionSize, role, diskState, crashedPrimary, gens, bitmap.words(), al, resolveKeep, lastVerifyMillis, lastVerifyDiffBytes, forcedMillis, forcedFrom);
  }

  public VolumeMetadata withResolveKeep(String node) {
    return new VolumeMetadata(name, size, regionSize, role, diskState, crashedPrimary, gens, bitmapWords, activityLog, node, lastVerifyMillis, lastVerifyDiffBytes, forcedMillis, forcedFrom);
  }

  public VolumeMetadata withVerify(long atMillis, long diffBytes) {
    return new VolumeMetadata(name, size, regionSize, role, diskState, crashedPrimary, gens, bitmapWords, activityLog, resolveKeep, atMillis, diffBytes, forcedMillis, forcedFrom);
  }

  /** Metadata of a brand-new volume. */
  public static VolumeMetadata fresh(String name, long size, int regionSize, DiskState disk, GenerationIds gens) {
    DirtyBitmap b = new DirtyBitmap(size, regionSize);
    return new VolumeMetadata(name, size, regionSize, Role.SECONDARY, disk, false, gens, b.words(), List.of(), "", 0, 0);
  }
}
