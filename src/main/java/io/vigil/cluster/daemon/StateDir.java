package io.vigil.cluster.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The layout of a node's state directory (mode 0700): node.json, tls/, raft/, control.sock. */
public final class StateDir {
  /** Where a production node keeps its state unless told otherwise. */
  public static final Path DEFAULT = Path.of("/var/lib/vigil");

  private StateDir() {}

  /** Creates the directory with mode 0700, or tightens an existing one. */
  public static Path prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    return dir;
  }

  public static Path raft(Path dir) {
    return dir.resolve("raft");
  }

  /** The self-fencing supervisor's directory: its script, its targets (pgroups, addresses) and its log. */
  public static Path supervisor(Path dir) {
    return dir.resolve("supervisor");
  }

  public static Path socket(Path dir) {
    return dir.resolve("control.sock");
  }

  /** The state directory from {@code --state-dir}, else {@code $VIGIL_STATE_DIR}, else the default. */
  public static Path resolve(Path option) {
    if (option != null) return option;
    String env = System.getenv("VIGIL_STATE_DIR");
    return env == null || env.isBlank() ? DEFAULT : Path.of(env);
  }
}
