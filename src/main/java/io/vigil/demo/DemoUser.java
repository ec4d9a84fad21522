package io.vigil.demo;

/**
 * The unprivileged system account the demo's service runs as ({@code ocf:heartbeat:anything}'s
 * {@code user}): a web service has no business running as root, and root's login shell, which the
 * agent's {@code su -} starts, may be slow (on this machine {@code pyenv init} in root's
 * {@code ~/.bashrc} costs ~0.2 s of every start). Created on first use like a package's account
 * (shell {@code /bin/sh}, home {@code /}, no home directory); {@code vigil demo --stop} removes it
 * again if the demo created it and nothing runs as it any more.
 */
final class DemoUser {
  static final String NAME = "vigil-demo";

  private DemoUser() {}

  /**
   * Whether an unprivileged account can reach {@code dir} (the service script and the agents' pid
   * files in it): every ancestor searchable by others and {@code dir} readable by them.
   */
  static boolean canReach(java.nio.file.Path dir) {
    try {
      var perms = java.nio.file.Files.getPosixFilePermissions(dir);
      if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) return false;
      for (java.nio.file.Path p = dir; p != null; p = p.getParent()) {
        if (!java.nio.file.Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      }
      return true;
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Whether the account exists. */
  static boolean exists(Commands cmd) {
    return cmd.tryRun("id", "-u", NAME);
  }

  /** Creates the account unless it exists; returns whether it was created now. */
  static boolean ensure(Commands cmd) throws java.io.IOException {
    if (exists(cmd)) return false;
    cmd.run("useradd", "--system", "--no-create-home", "--home-dir", "/", "--shell", "/bin/sh",
        "--comment", "Vigil demo service (bin/vigil demo)", NAME);
    return true;
  }

  /**
   * Removes the account if no process runs as it (another demo may still use it; the service just
   * killed gets two seconds to be gone); returns whether it did.
   */
  static boolean removeIfUnused(Commands cmd) throws InterruptedException {
    if (!exists(cmd)) return false;
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (cmd.tryRun("pgrep", "-u", NAME)) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(50);
    }
    return cmd.tryRun("userdel", NAME);
  }
}
