package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.Role;
import io.vigil.agents.volume.replication.Protocol;

/** What {@code vigil volume status} shows for one volume on one node. */
public record VolumeStatus(String name, String node, Role role, DiskState disk, ConnectionState connection, String peer,
    Role peerRole, DiskState peerDisk, Protocol protocol, double syncPercent, long outOfSyncBytes, long resyncBytes,
    long crcErrors, long resends, String generations, long lastVerifyMillis, long lastVerifyDiffBytes, String lastError,
    long size, long forcedMillis, DiskState forcedFrom) {

  /** Human-readable multi-line form. */
  public String render() {
    StringBuilder b = new StringBuilder();
    b.append(name).append(" on ").append(node).append(": role ").append(role).append(", disk ").append(disk)
        .append(", connection ").append(connection);
    if (peer != null) b.append(" (peer ").append(peer).append(' ').append(peerRole).append('/').append(peerDisk).append(')');
    b.append('\n');
    b.append("  size ").append(Sizes.format(size)).append(" (").append(size).append(" bytes)").append(", protocol ").append(protocol).append(", sync ").append(String.format(java.util.Locale.ROOT, "%.1f%%", syncPercent))
        .append(", out of sync ").append(Sizes.format(outOfSyncBytes)).append(", resynced ").append(Sizes.format(resyncBytes)).append('\n');
    b.append("  checksum errors ").append(crcErrors).append(", blocks resent ").append(resends).append(", generations ").append(generations).append('\n');
    b.append("  last verify ").append(lastVerifyMillis == 0 ? "never" : java.time.Instant.ofEpochMilli(lastVerifyMillis) + " (" + Sizes.format(lastVerifyDiffBytes) + " differed)");
    if (forcedMillis != 0) {
      b.append("\n  forced primary at ").append(java.time.Instant.ofEpochMilli(forcedMillis)).append(" (was ").append(forcedFrom)
          .append("; 'vigil volume primary --force')");
    }
    if (lastError != null && !lastError.isEmpty()) b.append("\n  last error: ").append(lastError);
    return b.toString();
  }
}
