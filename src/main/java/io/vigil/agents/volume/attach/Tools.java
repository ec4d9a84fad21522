package io.vigil.agents.volume.attach;

import io.vigil.exec.OcfRc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the programs an attachment runs, in the system directories (never through a shell or $PATH of the caller). */
final class Tools {
  private static final List<String> DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private Tools() {}

  /** The program's absolute path, or an ERR_INSTALLED failure naming the Debian package that has it. */
  static String find(String program, String debianPackage) throws AttachFailure {
    for (String d : DIRS) {
      Path p = Path.of(d, program);
      if (Files.isExecutable(p)) return p.toString();
    }
    throw new AttachFailure(OcfRc.ERR_INSTALLED, program + " not found in " + DIRS + " (Debian package " + debianPackage + ")");
  }

  /** Nanoseconds left before {@code deadlineNanos}, at least one millisecond's worth. */
  static java.time.Duration left(long deadlineNanos) {
    return java.time.Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
  }
}
