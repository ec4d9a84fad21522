package io.vigil.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes small agent scripts into a temporary OCF root or init.d directory for tests. */
final class TestAgents {
  private TestAgents() {}

  /** Writes an executable script at {@code root/resource.d/vigiltest/<type>} and returns the root. */
  static Path ocfAgent(Path root, String type, String body) throws IOException {
    return script(root.resolve("resource.d").resolve("vigiltest").resolve(type), body);
  }

  static Path script(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** An executor over {@code ocfRoot} (and {@code lsbRoot}) with a short kill grace. */
  static AgentExecutor executor(Path ocfRoot, Path lsbRoot, boolean reaper) {
    ExecConfig c = ExecConfig.defaults().withOcfRoot(ocfRoot).withLsbRoot(lsbRoot)
        .withKillGrace(java.time.Duration.ofMillis(500));
    c = new ExecConfig(c.ocfRoot(), c.lsbRoot(), c.outputTailBytes(), c.metadataOutputBytes(), c.killGrace(),
        c.metadataTimeout(), c.path(), reaper, null, null);
    return AgentExecutor.system(c, BuiltinRegistry.withDefaults(lsbRoot.resolveSibling("builtin-state")));
  }
}
