package io.vigil.agents.volume.attach;

import io.vigil.agents.ip.ProcessRunner;
import io.vigil.exec.OcfRc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's nbd driver: {@code nbd-client -u -N NAME SOCKET /dev/nbdN} connects the device (the
 * nbd-client package's client, which hands the socket to the kernel and stays as its helper),
 * {@code nbd-client -d /dev/nbdN} disconnects it; {@code /sys/block/nbdN/pid} exists while it is
 * connected. Loads the module with {@code modprobe nbd} when the device does not exist yet.
 */
final class KernelAttachment implements Attachment {
  private final AttachParams params;
  private final Path dir;
  private final ProcessRunner runner;

  KernelAttachment(AttachParams params, Path dir, ProcessRunner runner) {
    this.params = params;
    this.dir = dir;
    this.runner = runner;
  }

  private Path sys() { return Path.of("/sys/block", params.device().getFileName().toString()); }

  private boolean connected() { return Files.exists(sys().resolve("pid")); }

  /** The nbd-client command line that attaches the export (pure, shown in the docs and tested). */
  static List<String> connectCommand(String nbdClient, AttachParams p) {
    return List.of(nbdClient, "-u", "-N", p.exportName(), p.socket().toString(), p.device().toString());
  }

  @Override
  public Path attach(long deadlineNanos) throws AttachFailure, InterruptedException {
    if (attached() != null && problem() == null) return params.device();
    try {
      if (!Files.isDirectory(sys())) {
        String loaded;
        try {
          ProcessRunner.Output out = runner.run(List.of(Tools.find("modprobe", "kmod"), "nbd"), Tools.left(deadlineNanos));
          loaded = out.exitCode() == 0 ? "'modprobe nbd' did not create it (nbds_max too small?)" : "'modprobe nbd' failed: " + out.diagnostic();
        } catch (AttachFailure noModprobe) {
          loaded = noModprobe.getMessage();
        }
        if (!Files.isDirectory(sys())) {
          throw new AttachFailure(OcfRc.ERR_INSTALLED, "this kernel has no " + params.device() + ": the nbd driver is not loaded and "
              + loaded + "; on hosts without the nbd module use method loop");
        }
      }
      String nbdClient = Tools.find("nbd-client", "nbd-client");
      if (connected()) {
        throw new AttachFailure(OcfRc.ERR_GENERIC, params.device() + " is connected already, not by this resource (nbd-client pid "
            + Mounts.lines(sys().resolve("pid")) + "); choose another device");
      }
      if (!Files.exists(params.socket())) {
        throw new AttachFailure(OcfRc.ERR_GENERIC, "no NBD export at " + params.socket() + " (only a volume's Primary exports it:"
            + " order this resource after the volume's promotion)");
      }
      ProcessRunner.Output out = runner.run(connectCommand(nbdClient, params), Tools.left(deadlineNanos));
      if (out.exitCode() != 0 || !connected()) {
        throw new AttachFailure(OcfRc.ERR_GENERIC, "nbd-client " + params.uri() + " " + params.device() + " failed (exit " + out.exitCode()
            + "): " + out.diagnostic());
      }
      AttachRecord.write(dir, params.device());
      return params.device();
    } catch (IOException e) {
      throw new AttachFailure(OcfRc.ERR_GENERIC, "attaching " + params.uri() + " to " + params.device() + ": " + e.getMessage());
    }
  }

  @Override
  public Path attached() {
    Path device = AttachRecord.read(dir);
    return params.device().equals(device) ? device : null;
  }

  @Override
  public String problem() {
    if (attached() == null) return null;
    return connected() ? null : params.device() + " is no longer connected (nbd-client's connection to " + params.uri() + " ended)";
  }

  @Override
  public void detach(long deadlineNanos) throws AttachFailure, InterruptedException {
    try {
      if (attached() != null && connected()) {
        ProcessRunner.Output out = runner.run(List.of(Tools.find("nbd-client", "nbd-client"), "-d", params.device().toString()),
            Tools.left(deadlineNanos));
        if (out.exitCode() != 0 && connected()) {
          throw new AttachFailure(OcfRc.ERR_GENERIC, "nbd-client -d " + params.device() + ": " + out.diagnostic());
        }
      }
      AttachRecord.delete(dir);
    } catch (IOException e) {
      throw new AttachFailure(OcfRc.ERR_GENERIC, "detaching " + params.device() + ": " + e.getMessage());
    }
  }
}
