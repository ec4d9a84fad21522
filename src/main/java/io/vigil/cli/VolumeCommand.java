package io.vigil.cli;

import io.vigil.agents.volume.VolumeServeMain;
import io.vigil.agents.volume.control.ControlClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil volume}: replicated block devices exported over NBD (serve one, and administer it locally). */
@Command(
    name = "volume",
    mixinStandardHelpOptions = true,
    description = "Replicated volumes (DRBD-style, user space, exported over NBD).",
    subcommands = {
      VolumeServeMain.class,
      VolumeCreateCommand.class,
      VolumeCommand.Status.class,
      VolumeCommand.Primary.class,
      VolumeCommand.Secondary.class,
      VolumeCommand.Connect.class,
      VolumeCommand.Disconnect.class,
      VolumeCommand.Verify.class,
      VolumeCommand.Resolve.class,
      VolumeCommand.Resize.class
    })
public final class VolumeCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Default control socket of a volume. */
  static Path defaultControl(String name) {
    return VolumeServeMain.defaultControl(name);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs {@code vigil volume ...} standalone (until the command is registered in Main). */
  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new VolumeCommand());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    System.exit(cl.execute(args));
  }

  /** Shared by the client subcommands: which volume, which socket, one request. */
  abstract static class Request implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Volume name.")
    String name;

    @Option(names = "--control", paramLabel = "PATH", description = "Control socket (default /run/vigil/volume-NAME.sock).")
    Path control;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    abstract String request();

    @Override
    public Integer call() throws Exception {
      ControlClient.Reply r = ControlClient.send(control != null ? control : defaultControl(name), request());
      if (r.ok()) {
        spec.commandLine().getOut().println(r.text());
        return 0;
      }
      spec.commandLine().getErr().println("vigil volume " + spec.name() + " " + name + ": " + r.text());
      return 1;
    }
  }

  @Command(name = "status", description = "Role, disk state, connection, sync progress, out-of-sync bytes, protocol, last verify.")
  static final class Status extends Request {
    String request() { return "status"; }
  }

  @Command(name = "primary", description = "Promote this node (refused unless UpToDate and the peer is not Primary; --force overrides the first).")
  static final class Primary extends Request {
    @Option(names = "--switch", description = "If the peer is Primary, demote it first (flushes), then promote this node.")
    boolean switchRoles;

    @Option(names = "--force", description = "Make an Outdated or Inconsistent copy UpToDate (new generation) and Primary when the peer's "
        + "copy is lost for good; writes only the peer held are lost. Under the cluster: deletes this copy's Outdated record and the "
        + "cluster promotes it.")
    boolean force;

    String request() {
      if (force && switchRoles) throw new CommandLine.ParameterException(spec.commandLine(), "--force and --switch exclude each other");
      return force ? "primary force" : switchRoles ? "primary switch" : "primary";
    }
  }

  @Command(name = "secondary", description = "Demote this node (flushes first).")
  static final class Secondary extends Request {
    String request() { return "secondary"; }
  }

  @Command(name = "connect", description = "Leave StandAlone and connect to the peer.")
  static final class Connect extends Request {
    String request() { return "connect"; }
  }

  @Command(name = "disconnect", description = "Drop the peer link and stay StandAlone (changes are tracked in the bitmap).")
  static final class Disconnect extends Request {
    String request() { return "disconnect"; }
  }

  @Command(name = "verify", description = "Compare both copies online (on the Primary) and resync the regions that differ.")
  static final class Verify extends Request {
    String request() { return "verify"; }
  }

  @Command(name = "resolve", description = "Resolve a split brain: keep NODE's data, discard the other node's changes.")
  static final class Resolve extends Request {
    @Option(names = "--keep", required = true, paramLabel = "NODE", description = "Node whose data survives.")
    String keep;

    String request() { return "resolve " + keep; }
  }

  @Command(name = "resize", description = "Grow the volume on both nodes (from either node; only while Connected and UpToDate; never shrinks).")
  static final class Resize extends Request {
    @Option(names = "--size", required = true, paramLabel = "SIZE", description = "New size, e.g. 40G (larger than the current size).")
    String size;

    String request() { return "resize " + io.vigil.agents.volume.Sizes.parse(size); }
  }
}
