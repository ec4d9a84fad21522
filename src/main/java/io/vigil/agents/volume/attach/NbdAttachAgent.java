package io.vigil.agents.volume.attach;

import io.vigil.agents.ip.ProcessRunner;
import io.vigil.agents.ip.SystemProcessRunner;
import io.vigil.exec.BuiltinAgent;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfEnvironment;
import io.vigil.exec.OcfMetadata;
import io.vigil.exec.OcfRc;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code builtin:nbd}: attaches an NBD export as a block device on this node (start), checks that it is
 * still attached (monitor) and detaches it (stop), keeping a symlink ({@code link}) to the device for
 * a filesystem resource. Put it between a volume's promotion and the filesystem: the export exists on
 * the Primary only. stop refuses while the device is mounted, so a filesystem is never cut from under
 * its mount; an ordering mistake then shows as a failed stop naming the mount.
 */
public final class NbdAttachAgent implements BuiltinAgent {
  private final Path stateDir;
  private final Path volumeStateDir;
  private final ProcessRunner runner;

  /** Keeps each resource's state under {@code stateDir}; volume names resolve to exports under {@code volumeStateDir}. */
  public NbdAttachAgent(Path stateDir, Path volumeStateDir) {
    this(stateDir, volumeStateDir, new SystemProcessRunner());
  }

  NbdAttachAgent(Path stateDir, Path volumeStateDir, ProcessRunner runner) {
    this.stateDir = stateDir;
    this.volumeStateDir = volumeStateDir;
    this.runner = runner;
  }

  @Override
  public String type() {
    return "nbd";
  }

  @Override
  public String metadataXml() {
    OcfMetadata md = OcfMetadata.of("nbd", "NBD export attached as a block device",
        "Attaches an NBD export (by default a builtin:volume's, which exists on its Primary only) as a block device on this node, "
            + "with nbd-client and the kernel's nbd driver or with nbdfuse and a loop device, and keeps a symlink to it for a "
            + "filesystem resource. Stop refuses while the device is mounted.");
    for (AttachParams.Key k : AttachParams.KEYS) md.param(k.name(), false, "string", k.defaultValue(), k.doc());
    return md.action("start", "60s", null).action("stop", "60s", null).action("monitor", "20s", "10s")
        .action("validate-all", "20s", null).action("meta-data", "5s", null).toXml();
  }

  @Override
  public int run(Invocation inv, PrintWriter out) throws Exception {
    AttachParams p;
    try {
      p = AttachParams.parse(inv.params(), volumeStateDir);
    } catch (IllegalArgumentException e) {
      out.println(OcfEnvironment.EXIT_REASON_PREFIX + e.getMessage());
      return OcfRc.ERR_CONFIGURED;
    }
    Path dir = stateDir.resolve(inv.resourceId().replaceAll("[^A-Za-z0-9._-]", "_"));
    Attachment a = p.method() == AttachParams.Method.KERNEL ? new KernelAttachment(p, dir, runner) : new LoopAttachment(p, dir, runner);
    long deadline = System.nanoTime() + inv.timeout().toNanos() * 9 / 10;
    try {
      return switch (inv.action()) {
        case "start" -> start(p, a, deadline);
        case "stop" -> stop(p, a, deadline);
        case "monitor", "status" -> monitor(p, a, out);
        case "validate-all" -> {
          if (p.method() == AttachParams.Method.KERNEL) Tools.find("nbd-client", "nbd-client");
          else Tools.find("nbdfuse", "libnbd-bin");
          yield OcfRc.SUCCESS;
        }
        default -> {
          out.println("builtin:nbd does not implement action '" + inv.action() + "'");
          yield OcfRc.ERR_UNIMPLEMENTED;
        }
      };
    } catch (AttachFailure f) {
      out.println(OcfEnvironment.EXIT_REASON_PREFIX + f.getMessage());
      return f.rc();
    }
  }

  private int start(AttachParams p, Attachment a, long deadline) throws AttachFailure, InterruptedException {
    Path old = a.attached();
    String problem = old == null ? null : a.problem();
    if (problem != null && !Mounts.of(old).isEmpty()) {
      // repairing would mean detaching a device a filesystem is mounted on
      throw new AttachFailure(OcfRc.ERR_GENERIC, "the earlier attachment " + old + " is broken (" + problem + ") and still mounted at "
          + Mounts.of(old) + "; stop the filesystem resource first");
    }
    Path device = a.attach(deadline);
    if (p.link() != null) {
      try {
        link(p.link(), device);
      } catch (IOException | AttachFailure e) {
        a.detach(deadline); // nothing half-applied: no device without its link
        throw e instanceof AttachFailure f ? f : new AttachFailure(OcfRc.ERR_GENERIC, "link " + p.link() + " -> " + device + ": " + e.getMessage());
      }
    }
    return OcfRc.SUCCESS;
  }

  private int stop(AttachParams p, Attachment a, long deadline) throws AttachFailure, InterruptedException {
    Path device = a.attached();
    if (device != null) {
      List<String> mounts = Mounts.of(device);
      if (!mounts.isEmpty()) {
        throw new AttachFailure(OcfRc.ERR_GENERIC, device + " (" + p.uri() + ") is still mounted at " + mounts
            + "; stop the filesystem resource first (order it after this resource, or put both in one group)");
      }
      a.detach(deadline);
    }
    if (p.link() != null && device != null) {
      // Only this attachment's link goes: one that points elsewhere (or that no attachment of this boot made) is not ours.
      try {
        if (Files.isSymbolicLink(p.link()) && Files.readSymbolicLink(p.link()).equals(device)) Files.delete(p.link());
      } catch (IOException e) {
        throw new AttachFailure(OcfRc.ERR_GENERIC, "removing link " + p.link() + ": " + e.getMessage());
      }
    }
    return OcfRc.SUCCESS;
  }

  private int monitor(AttachParams p, Attachment a, PrintWriter out) throws AttachFailure {
    Path device = a.attached();
    if (device == null) return OcfRc.NOT_RUNNING;
    String problem = a.problem();
    if (problem != null) throw new AttachFailure(OcfRc.ERR_GENERIC, problem);
    try {
      if (p.link() != null && !(Files.isSymbolicLink(p.link()) && Files.readSymbolicLink(p.link()).equals(device))) {
        throw new AttachFailure(OcfRc.ERR_GENERIC, "link " + p.link() + " no longer points to " + device);
      }
    } catch (IOException e) {
      throw new AttachFailure(OcfRc.ERR_GENERIC, "link " + p.link() + ": " + e.getMessage());
    }
    List<String> mounts = Mounts.of(device);
    out.println(p.uri() + " attached as " + device + (p.link() == null ? "" : " (" + p.link() + ")")
        + (mounts.isEmpty() ? ", not mounted" : ", mounted at " + mounts));
    return OcfRc.SUCCESS;
  }

  /** Points {@code link} at {@code device} atomically (a new symlink renamed over the old); refuses to replace anything but a symlink. */
  private static void link(Path link, Path device) throws IOException, AttachFailure {
    if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
      throw new AttachFailure(OcfRc.ERR_CONFIGURED, "link " + link + " exists and is not a symlink; not replaced");
    }
    Files.createDirectories(link.getParent());
    Path tmp = link.resolveSibling("." + link.getFileName() + ".new");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, device);
    Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
