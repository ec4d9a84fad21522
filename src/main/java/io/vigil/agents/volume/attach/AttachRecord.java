package io.vigil.agents.volume.attach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The file {@code DIR/device} that says this resource attached a device: its path and the kernel's
 * boot id. Attachments do not survive a reboot, and the state directory does: a record from another
 * boot is stale (the device number may belong to something else now) and counts as nothing attached,
 * so neither monitor nor stop ever acts on another boot's device.
 */
final class AttachRecord {
  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  private AttachRecord() {}

  static void write(Path dir, Path device) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve("device.new");
    Files.writeString(tmp, device + "\n" + bootId() + "\n");
    Files.move(tmp, dir.resolve("device"), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The device this boot's record names, or null (no record, a stale one, or unreadable). */
  static Path read(Path dir) {
    List<String> lines = Mounts.lines(dir.resolve("device"));
    if (lines.size() < 2 || !lines.get(1).strip().equals(bootId())) return null;
    return Path.of(lines.get(0).strip());
  }

  static void delete(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve("device"));
  }

  private static String bootId() {
    List<String> l = Mounts.lines(BOOT_ID);
    return l.isEmpty() ? "unknown" : l.get(0).strip();
  }
}
