package io.vigil.agents.volume.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An NBD export as a real kernel filesystem without the nbd kernel module: libnbd's {@code nbdfuse}
 * shows the export as one file in a FUSE mount, a loop device makes that file a block device, and
 * ext4 is made, checked and mounted on it by the kernel. {@link #close()} undoes every step in reverse
 * order, also after a failure or a dead NBD server, and fails if anything is left behind.
 */
public final class MountedExport implements AutoCloseable {
  private static final long STEP_SECONDS = 120;
  private final Path dir;
  private final Path fuseDir;
  private final Path mountPoint;
  private Process nbdfuse;
  private String device;
  private boolean mounted;

  private MountedExport(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.fuseDir = Files.createDirectories(dir.resolve("fuse"));
    this.mountPoint = Files.createDirectories(dir.resolve("mnt"));
  }

  /**
   * Connects {@code nbdfuse} (default options: multi-conn as the server advertises, no kernel_cache, no
   * writeback cache) to the export at {@code uri} and attaches the file it shows to a free loop device.
   * {@code dir} must be a fresh directory; it holds the FUSE mount, the mount point and nbdfuse's log.
   */
  public static MountedExport attach(String uri, Path dir) throws IOException {
    MountedExport m = new MountedExport(dir);
    try {
      m.startNbdfuse(uri);
      m.device = Proc.ok(STEP_SECONDS, "losetup", "--find", "--show", m.exportFile().toString()).output().strip();
      if (!m.device.startsWith("/dev/loop")) throw new AssertionError("losetup printed '" + m.device + "', expected /dev/loopN");
      return m;
    } catch (RuntimeException | Error | IOException e) {
      m.close();
      throw e;
    }
  }

  private Path exportFile() {
    return fuseDir.resolve("nbd");
  }

  private void startNbdfuse(String uri) throws IOException {
    Path pidFile = dir.resolve("nbdfuse.pid");
    Path log = dir.resolve("nbdfuse.log");
    nbdfuse = new ProcessBuilder("nbdfuse", "--pidfile", pidFile.toString(), exportFile().toString(), uri)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    nbdfuse.getOutputStream().close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    // nbdfuse writes its pid file once the FUSE mount serves; until then the file does not exist.
    while (!(Files.exists(pidFile) && Files.size(pidFile) > 0 && isMounted(fuseDir))) {
      if (!nbdfuse.isAlive()) {
        throw new AssertionError("nbdfuse " + uri + " exited " + nbdfuse.exitValue() + ": " + Files.readString(log));
      }
      if (System.nanoTime() > deadline) throw new AssertionError("nbdfuse " + uri + " not serving after 30 s: " + Files.readString(log));
      try {
        nbdfuse.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for nbdfuse", e);
      }
    }
  }

  /** The loop device, e.g. {@code /dev/loop3}. */
  public String device() {
    return device;
  }

  /** Where the filesystem is mounted by {@link #mount()}. */
  public Path root() {
    return mountPoint;
  }

  /** Makes a fresh ext4 on the device (-F: the device may hold an old filesystem; never mounted here). */
  public void mkfs() {
    Proc.ok(STEP_SECONDS, "mkfs.ext4", "-q", "-F", device);
  }

  /** {@code e2fsck -f -n}: a forced, read-only check; exit 0 means the filesystem is clean. */
  public Proc.Result fsck() {
    if (mounted) throw new IllegalStateException("e2fsck on mounted " + device);
    return Proc.run(STEP_SECONDS, "e2fsck", "-f", "-n", device);
  }

  /** Mounts the device's ext4 (a dirty journal is replayed by the kernel here). */
  public void mount() {
    Proc.ok(STEP_SECONDS, "mount", "-t", "ext4", device, mountPoint.toString());
    mounted = true;
  }

  /** A clean unmount (the kernel writes everything back and marks the filesystem clean). */
  public void unmount() {
    Proc.ok(STEP_SECONDS, "umount", mountPoint.toString());
    mounted = false;
  }

  /**
   * Unmounts, detaches the loop device, unmounts the FUSE file and waits for nbdfuse to exit, each
   * step attempted even when an earlier one failed, with a lazy unmount or SIGKILL as last resort.
   */
  @Override
  public void close() {
    List<String> notes = new ArrayList<>();
    if (mounted || isMounted(mountPoint)) {
      if (Proc.run(STEP_SECONDS, "umount", mountPoint.toString()).exit() != 0) {
        notes.add("umount " + mountPoint + " failed, lazy unmount");
        Proc.run(STEP_SECONDS, "umount", "-l", mountPoint.toString());
      }
      mounted = false;
    }
    if (device != null) {
      Proc.Result r = Proc.run(STEP_SECONDS, "losetup", "-d", device);
      if (r.exit() != 0) notes.add("losetup -d " + device + ": " + r.output().strip());
      device = null;
    }
    if (isMounted(fuseDir)) {
      if (Proc.run(STEP_SECONDS, "umount", fuseDir.toString()).exit() != 0) {
        notes.add("umount " + fuseDir + " failed, lazy unmount");
        Proc.run(STEP_SECONDS, "umount", "-l", fuseDir.toString());
      }
    }
    if (nbdfuse != null) {
      try {
        // nbdfuse exits by itself once its FUSE mount is gone (after up to 5 s for commands in flight)
        if (!nbdfuse.waitFor(20, TimeUnit.SECONDS)) {
          notes.add("nbdfuse did not exit after its unmount: SIGKILL; its threads: " + threads(nbdfuse.pid()));
          nbdfuse.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        nbdfuse.destroyForcibly();
      }
    }
    if (!notes.isEmpty()) System.err.println("MountedExport " + dir + ": " + notes);
    List<String> left = leftovers(dir);
    if (!left.isEmpty()) throw new IllegalStateException("MountedExport " + dir + " left behind: " + left + " (" + notes + ")");
  }

  /** Mounts, loop devices and nbdfuse processes under {@code dir} (an empty list when all is clean). */
  public static List<String> leftovers(Path dir) {
    String prefix = dir.toAbsolutePath().toString();
    List<String> left = new ArrayList<>();
    for (String line : readLines(Path.of("/proc/self/mounts"))) {
      String[] f = line.split(" ");
      if (f.length > 2 && f[1].startsWith(prefix)) left.add("mount " + f[1] + " (" + f[2] + ")");
    }
    try (Stream<Path> blocks = Files.list(Path.of("/sys/block"))) {
      blocks.filter(p -> p.getFileName().toString().startsWith("loop")).forEach(p -> {
        List<String> backing = readLines(p.resolve("loop/backing_file"));
        if (!backing.isEmpty() && backing.get(0).startsWith(prefix)) left.add("/dev/" + p.getFileName() + " on " + backing.get(0));
      });
    } catch (IOException e) {
      left.add("cannot list /sys/block: " + e);
    }
    ProcessHandle.allProcesses()
        .filter(h -> h.info().command().map(c -> c.endsWith("/nbdfuse")).orElse(false)
            && h.info().commandLine().map(c -> c.contains(prefix)).orElse(false))
        .forEach(h -> left.add("process " + h.pid() + ": " + h.info().commandLine().orElse("")));
    return left;
  }

  /** Each thread's kernel wait channel, to tell where a process that does not exit is stuck. */
  private static List<String> threads(long pid) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(t -> out.add(t.getFileName() + ":" + String.join("", readLines(t.resolve("wchan")))
          + "/" + String.join("|", readLines(t.resolve("stack")))));
    } catch (IOException e) {
      out.add("cannot list /proc/" + pid + "/task: " + e);
    }
    return out;
  }

  private static boolean isMounted(Path path) {
    String p = path.toAbsolutePath().toString();
    return readLines(Path.of("/proc/self/mounts")).stream().map(l -> l.split(" ")).anyMatch(f -> f.length > 1 && f[1].equals(p));
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of(); // a loop device without a backing file has no loop/backing_file
    }
  }
}
