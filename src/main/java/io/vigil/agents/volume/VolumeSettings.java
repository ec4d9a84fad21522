package io.vigil.agents.volume;

import io.vigil.agents.volume.replication.Protocol;
import io.vigil.agents.volume.sync.SplitBrainPolicy;
import java.nio.file.Path;

/**
 * Settings of one volume on one node, validated on construction. Keys, defaults and meaning:
 * <ul>
 *   <li>{@code region-size} (256K): dirty-bitmap and activity-log granularity, power of two 4K..16M
 *   <li>{@code activity-log-extents} (1024): 4 MiB extents a primary keeps hot without metadata writes (1..4096)
 *   <li>{@code protocol} (C): when a write is acknowledged, see {@link Protocol}
 *   <li>{@code split-brain} (disconnect): automatic split-brain policy
 *   <li>{@code resync-rate} (500M per second): cap on background resync traffic
 * </ul>
 */
public record VolumeSettings(String name, String node, Path backing, long size, int regionSize, int activityLogRegions,
    Protocol protocol, SplitBrainPolicy splitBrain, long resyncRate) {

  public static final int DEFAULT_REGION_SIZE = 256 * 1024;
  public static final int DEFAULT_AL_REGIONS = 1024;
  public static final long DEFAULT_RESYNC_RATE = 500L << 20;

  public VolumeSettings {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException("volume name '" + name + "' must be 1..63 letters, digits, '.', '_' or '-'");
    }
    if (node == null || node.isBlank() || node.length() > 200) throw new IllegalArgumentException("volume '" + name + "': node name '" + node + "' must be 1..200 characters");
    if (size <= 0 || size % 512 != 0) throw new IllegalArgumentException("volume '" + name + "': size " + size + " must be a positive multiple of 512");
    if (regionSize < 4096 || regionSize > (16 << 20) || Integer.bitCount(regionSize) != 1) {
      throw new IllegalArgumentException("volume '" + name + "': region size " + regionSize + " must be a power of two from 4K to 16M");
    }
    if (activityLogRegions < 1 || activityLogRegions > 4096) {
      throw new IllegalArgumentException("volume '" + name + "': activity-log-regions " + activityLogRegions + " must be 1..4096");
    }
    if (resyncRate <= 0) throw new IllegalArgumentException("volume '" + name + "': resync rate must be > 0");
  }

  /** Settings with every default. */
  public static VolumeSettings defaults(String name, String node, Path backing, long size) {
    return new VolumeSettings(name, node, backing, size, DEFAULT_REGION_SIZE, DEFAULT_AL_REGIONS, Protocol.C,
        SplitBrainPolicy.DISCONNECT, DEFAULT_RESYNC_RATE);
  }

  /** The same settings for a volume grown (or configured) to {@code newSize} bytes. */
  public VolumeSettings withSize(long newSize) {
    return new VolumeSettings(name, node, backing, newSize, regionSize, activityLogRegions, protocol, splitBrain, resyncRate);
  }

  /** The metadata file beside the data. */
  public Path metadataPath() {
    return backing.resolveSibling(backing.getFileName() + ".vmeta");
  }
}
