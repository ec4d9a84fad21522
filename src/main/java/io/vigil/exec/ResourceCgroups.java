package io.vigil.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One cgroup (v2) per resource that its agent's actions run in, under a directory of the
 * daemon's own cgroup ({@code <own cgroup>/vigil-<name>/<resource>}). A process cannot leave its
 * cgroup by forking or calling setsid, so everything a resource's agent started — a daemon that
 * double-forked into its own session included — is found in one place and killed at once with
 * {@code cgroup.kill} (the supervisor does it when the daemon stops feeding it). No controller is
 * enabled: the cgroups only group processes. Needs a writable cgroup v2 hierarchy (root, and under
 * systemd a unit with {@code Delegate=yes}); without one agents run as before, tracked by their
 * process group only.
 */
public final class ResourceCgroups {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,80}");
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_.:@-]");
  private final Path base;

  private ResourceCgroups(Path base) {
    this.base = base;
  }

  /**
   * The directory {@code vigil-<name>} in this process's cgroup v2, created if needed; empty when
   * there is no cgroup v2 hierarchy or it is not writable here.
   */
  public static Optional<ResourceCgroups> create(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("cgroup name '" + name + "' must be 1-80 letters, digits, '_', '.', '-'");
    }
    Optional<Path> own = ownCgroup();
    if (own.isEmpty()) return Optional.empty();
    Path base = own.get().resolve("vigil-" + name);
    try {
      Files.createDirectories(base);
      if (!Files.isWritable(base.resolve("cgroup.procs"))) return Optional.empty();
      // What earlier daemons on this host left: every vigil-* tree without a process in it (one
      // with processes stays: what it ran is probed). A live daemon's empty cgroup may go too,
      // between its mkdir and its agent joining; that one action then runs outside a cgroup,
      // tracked by its process group as without cgroups, and the next action makes it again.
      try (DirectoryStream<Path> old = Files.newDirectoryStream(own.get(), p -> p.getFileName().toString().startsWith("vigil-"))) {
        for (Path p : old) new ResourceCgroups(p).removeEmpty();
      }
      Files.createDirectories(base);
      return Optional.of(new ResourceCgroups(base));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** One daemon's name: its node and its state directory (several daemons may share a host: the demo, tests). */
  public static String nameFor(String node, Path stateDir) {
    String n = node.replaceAll("[^A-Za-z0-9_.-]", "_");
    String hash = Integer.toHexString(stateDir.toAbsolutePath().normalize().toString().hashCode());
    return (n.length() > 60 ? n.substring(0, 60) : n) + "-" + hash;
  }

  /**
   * Removes what {@link #create} made for {@code name} once it is empty, waiting up to {@code wait}
   * for the processes in it to finish dying (a daemon's tear-down: the demo's stop, tests).
   */
  public static void removeEmpty(String name, java.time.Duration wait) throws InterruptedException {
    Optional<Path> base = ownCgroup()
        .map(own -> own.resolve("vigil-" + name));
    if (base.isEmpty()) return;
    long deadline = System.nanoTime() + wait.toNanos();
    do {
      if (!Files.isDirectory(base.get())) return;
      new ResourceCgroups(base.get()).removeEmpty();
      if (!Files.isDirectory(base.get())) return;
      Thread.sleep(50);
    } while (System.nanoTime() - deadline < 0);
  }

  /** Where this process's cgroup v2 is in the file system. */
  private static Optional<Path> ownCgroup() {
    return ownCgroup(Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"));
  }

  /** Where this process's cgroup v2 is in the file system, from its mount table and its /proc cgroup file. */
  static Optional<Path> ownCgroup(Path mountinfo, Path procCgroup) {
    try {
      String relative = null;
      for (String line : Files.readAllLines(procCgroup, StandardCharsets.UTF_8)) {
        if (line.startsWith("0::")) relative = line.substring(3);
      }
      if (relative == null) return Optional.empty();
      for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
        int dash = line.indexOf(" - ");
        if (dash < 0 || !line.substring(dash + 3).startsWith("cgroup2 ")) continue;
        String[] f = line.substring(0, dash).split(" ");
        if (f.length < 5) continue;
        String root = f[3];
        String mountPoint = f[4].replace("\\040", " ");
        if (!relative.startsWith(root)) continue;
        String inside = relative.substring(root.length()).replaceFirst("^/+", "");
        return Optional.of(inside.isEmpty() ? Path.of(mountPoint) : Path.of(mountPoint, inside));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The directory that holds the resources' cgroups. */
  public Path base() {
    return base;
  }

  /** The cgroup of {@code resourceId}, created if needed. */
  public Path forResource(String resourceId) throws IOException {
    Path p = base.resolve(dirName(resourceId));
    Files.createDirectories(p);
    return p;
  }

  /** A directory name for a resource id: its safe characters, others as '_' (clone instances keep "web:1"). */
  static String dirName(String resourceId) {
    String s = UNSAFE.matcher(resourceId).replaceAll("_");
    if (s.isEmpty() || s.equals(".") || s.equals("..") || s.startsWith("cgroup.")) s = "r_" + s;
    return s.length() > 120 ? s.substring(0, 120) : s;
  }

  /** Whether some process is in {@code cgroup}. */
  public static boolean populated(Path cgroup) {
    try {
      return !Files.readString(cgroup.resolve("cgroup.procs"), StandardCharsets.US_ASCII).isBlank();
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes {@code cgroup} if no process is in it (the kernel refuses otherwise); whether it is gone. */
  public static boolean removeIfEmpty(Path cgroup) {
    try {
      Files.deleteIfExists(cgroup);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes every empty resource cgroup and, if then empty, the base (orderly daemon shutdown). */
  public void removeEmpty() {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(base, Files::isDirectory)) {
      for (Path c : children) removeIfEmpty(c);
    } catch (IOException e) {
      return;
    }
    removeIfEmpty(base);
  }

  /** The pids in {@code cgroup} now (for tests and status). */
  public static List<Long> pids(Path cgroup) throws IOException {
    return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().filter(l -> !l.isBlank()).map(Long::parseLong).toList();
  }
}
