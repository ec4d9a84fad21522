package io.vigil.agents.volume.attach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Which mounts use a block device, from /proc/self/mountinfo by device number (not by name: mount may show another path). */
final class Mounts {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private Mounts() {}

  /** The mount points whose source is {@code device} (empty when it is not a block device or not mounted). */
  static List<String> of(Path device) {
    Optional<String> number = majorMinor(device);
    if (number.isEmpty()) return List.of();
    return lines(MOUNTINFO).stream().map(l -> l.split(" ")).filter(f -> f.length > 4 && f[2].equals(number.get()))
        .map(f -> f[4]).toList();
  }

  /** True when {@code dir} is a mount point. */
  static boolean isMountPoint(Path dir) {
    String p = dir.toAbsolutePath().normalize().toString();
    return lines(MOUNTINFO).stream().map(l -> l.split(" ")).anyMatch(f -> f.length > 4 && f[4].equals(p));
  }

  /** "MAJOR:MINOR" of a block device node (following a symlink), as mountinfo's third field writes it. */
  static Optional<String> majorMinor(Path device) {
    try {
      if (!Files.exists(device)) return Optional.empty();
      long rdev = ((Number) Files.getAttribute(device, "unix:rdev")).longValue();
      if (rdev == 0) return Optional.empty();
      long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
      long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
      return Optional.of(major + ":" + minor);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }
}
