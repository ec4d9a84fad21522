package io.vigil.agents.volume.attach;

import io.vigil.agents.ip.ProcessRunner;
import io.vigil.exec.OcfRc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * nbdfuse shows the export as the file {@code DIR/fuse/nbd} (a FUSE mount), {@code losetup} attaches
 * that file to a free loop device. nbdfuse runs in a session of its own, so it outlives the action and
 * the daemon (a mounted filesystem depends on it); its pid file, log and the loop device's name are
 * kept in {@code DIR}. Detach undoes the steps in reverse: loop device, FUSE mount, nbdfuse.
 */
final class LoopAttachment implements Attachment {
  private static final long POLL_MILLIS = 50;
  private final AttachParams params;
  private final Path dir;
  private final ProcessRunner runner;

  LoopAttachment(AttachParams params, Path dir, ProcessRunner runner) {
    this.params = params;
    this.dir = dir;
    this.runner = runner;
  }

  private Path fuseDir() { return dir.resolve("fuse"); }

  private Path file() { return fuseDir().resolve("nbd"); }

  private Path pidFile() { return dir.resolve("nbdfuse.pid"); }

  private Path log() { return dir.resolve("nbdfuse.log"); }

  @Override
  public Path attach(long deadlineNanos) throws AttachFailure, InterruptedException {
    Path existing = attached();
    if (existing != null && problem() == null) return existing;
    if (existing != null || nbdfuse().isPresent() || Mounts.isMountPoint(fuseDir())) detach(deadlineNanos); // a broken earlier attempt
    String nbdfuse = Tools.find("nbdfuse", "libnbd-bin");
    String losetup = Tools.find("losetup", "mount");
    if (!Files.exists(params.socket())) {
      throw new AttachFailure(OcfRc.ERR_GENERIC, "no NBD export at " + params.socket() + " (only a volume's Primary exports it:"
          + " order this resource after the volume's promotion)");
    }
    try {
      Files.createDirectories(fuseDir());
      Files.deleteIfExists(pidFile());
      Process p = new ProcessBuilder(Tools.find("setsid", "util-linux"), nbdfuse, "--pidfile", pidFile().toString(), file().toString(),
          params.uri()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
      p.getOutputStream().close();
      // nbdfuse writes its pid file once its FUSE mount serves the export.
      while (!(Files.exists(pidFile()) && Files.size(pidFile()) > 0 && Mounts.isMountPoint(fuseDir()))) {
        if (!p.isAlive()) throw new AttachFailure(OcfRc.ERR_GENERIC, "nbdfuse " + params.uri() + " exited " + p.exitValue() + ": " + logTail());
        if (System.nanoTime() > deadlineNanos) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
          detach(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)); // killed after its mount appeared: no FUSE mount left behind
          throw new AttachFailure(OcfRc.ERR_GENERIC, "nbdfuse " + params.uri() + " not serving before the timeout: " + logTail());
        }
        p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
      }
      ProcessRunner.Output out = runner.run(List.of(losetup, "--find", "--show", file().toString()), Tools.left(deadlineNanos));
      String device = out.stdout().strip();
      if (out.exitCode() != 0 || !device.matches("/dev/loop\\d+")) {
        detach(deadlineNanos);
        throw new AttachFailure(OcfRc.ERR_GENERIC, "losetup --find --show " + file() + " failed (exit " + out.exitCode() + "): "
            + out.diagnostic());
      }
      AttachRecord.write(dir, Path.of(device));
      return Path.of(device);
    } catch (IOException e) {
      throw new AttachFailure(OcfRc.ERR_GENERIC, "attaching " + params.uri() + ": " + e.getMessage());
    }
  }

  @Override
  public Path attached() {
    return AttachRecord.read(dir);
  }

  @Override
  public String problem() {
    Path device = attached();
    if (device == null) return null;
    if (nbdfuse().isEmpty()) return "nbdfuse for " + params.uri() + " is not running (" + logTail() + ")";
    if (!Mounts.isMountPoint(fuseDir())) return "nbdfuse's mount " + fuseDir() + " is gone";
    if (!file().toString().equals(backingFile(device))) {
      return device + " is no longer attached to " + file() + " (backing file: '" + backingFile(device) + "')";
    }
    return null;
  }

  @Override
  public void detach(long deadlineNanos) throws AttachFailure, InterruptedException {
    Path device = attached();
    try {
      if (device != null && file().toString().equals(backingFile(device))) {
        ProcessRunner.Output out = runner.run(List.of(Tools.find("losetup", "mount"), "-d", device.toString()), Tools.left(deadlineNanos));
        if (out.exitCode() != 0) throw new AttachFailure(OcfRc.ERR_GENERIC, "losetup -d " + device + ": " + out.diagnostic());
      }
      if (Mounts.isMountPoint(fuseDir())) {
        String umount = Tools.find("umount", "mount");
        if (runner.run(List.of(umount, fuseDir().toString()), Tools.left(deadlineNanos)).exitCode() != 0) {
          runner.run(List.of(umount, "-l", fuseDir().toString()), Tools.left(deadlineNanos)); // nbdfuse stuck on a dead server
        }
      }
      Optional<ProcessHandle> fuse = nbdfuse();
      if (fuse.isPresent()) {
        try {
          // nbdfuse exits by itself once its mount is gone (after commands in flight, up to 5 s)
          fuse.get().onExit().get(Math.max(1, Math.min(20_000, (deadlineNanos - System.nanoTime()) / 2_000_000)), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
          fuse.get().destroyForcibly();
        }
      }
      AttachRecord.delete(dir);
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      throw new AttachFailure(OcfRc.ERR_GENERIC, "detaching " + params.uri() + ": " + e.getMessage());
    }
  }

  /** This resource's nbdfuse, if its pid file names a live nbdfuse serving our mount point (a recycled pid never counts). */
  private Optional<ProcessHandle> nbdfuse() {
    try {
      if (!Files.exists(pidFile())) return Optional.empty();
      long pid = Long.parseLong(Files.readString(pidFile()).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> {
        try {
          String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
          return List.of(cmdline.split("\0")).contains(file().toString());
        } catch (IOException e) {
          return false;
        }
      });
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String backingFile(Path device) {
    List<String> l = Mounts.lines(Path.of("/sys/block", device.getFileName().toString(), "loop", "backing_file"));
    return l.isEmpty() ? "" : l.get(0).strip();
  }

  private String logTail() {
    List<String> lines = Mounts.lines(log());
    return lines.isEmpty() ? "(no output in " + log() + ")" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }
}
