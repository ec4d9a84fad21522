package io.vigil.cli;

import io.vigil.agents.ip.AddressMove;
import io.vigil.agents.ip.AgentResult;
import io.vigil.agents.ip.FloatingAddressAgent;
import io.vigil.agents.ip.InvalidParamsException;
import io.vigil.agents.ip.IpParams;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil ip add|del|status|announce|move}: the floating-address mechanism on one host,
 * without a cluster. The exit code is the OCF code of the action (status: 0 present, 7 absent).
 */
@Command(
    name = "ip",
    description = "Floating addresses on this host (no cluster needed).",
    mixinStandardHelpOptions = true,
    subcommands = {
      IpCommand.Add.class,
      IpCommand.Del.class,
      IpCommand.Status.class,
      IpCommand.Announce.class,
      IpCommand.Move.class
    })
public final class IpCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options shared by every subcommand; mapped onto the {@code ip} resource parameters. */
  static final class AddressOptions {
    @Parameters(index = "0", paramLabel = "ADDRESS[/PREFIX]", description = "e.g. 192.0.2.10/24 or 2001:db8::10/64")
    String address;

    @Option(names = "--dev", required = true, paramLabel = "IF", description = "interface, e.g. eth0 or lo")
    String dev;

    @Option(names = "--netns", paramLabel = "NS", description = "network namespace (ip netns name)")
    String netns;

    @Option(names = "--label", description = "IPv4 label (IF:NAME)")
    String label;

    @Option(names = "--count", paramLabel = "N", description = "announcements to send (default 5)")
    String count;

    @Option(names = "--interval", paramLabel = "DURATION", description = "between announcements (default 200ms)")
    String interval;

    @Option(names = "--no-probe", description = "skip the ARP probe before adding")
    boolean noProbe;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "ownership records (default /run/vigil/ip)")
    String stateDir;

    Map<String, String> params(String netnsOverride) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("address", address);
      m.put("interface", dev);
      String ns = netnsOverride != null ? netnsOverride : netns;
      putIf(m, "netns", ns);
      putIf(m, "label", label);
      putIf(m, "announce-count", count);
      putIf(m, "announce-interval", interval);
      putIf(m, "state-dir", stateDir);
      if (noProbe) {
        m.put("probe", "false");
      }
      return m;
    }

    private static void putIf(Map<String, String> m, String k, String v) {
      if (v != null) {
        m.put(k, v);
      }
    }
  }

  /** Base of the single-address subcommands: validate, build the agent, run one action. */
  abstract static class Action implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin AddressOptions opts = new AddressOptions();

    abstract AgentResult apply(FloatingAddressAgent agent);

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      IpParams p;
      try {
        p = IpParams.parse("command line", opts.params(null));
      } catch (InvalidParamsException e) {
        err.println("vigil ip " + spec.name() + ": " + e.getMessage());
        return AgentResult.OCF_ERR_ARGS;
      }
      AgentResult r = apply(FloatingAddressAgent.onThisHost(p));
      (r.rc() == 0 || r.rc() == AgentResult.OCF_NOT_RUNNING ? out : err).println(r.message());
      return r.rc();
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Probe, add and announce the address; refuse if another host answers.")
  static final class Add extends Action {
    @Override
    AgentResult apply(FloatingAddressAgent a) {
      return a.start();
    }
  }

  @Command(
      name = "del",
      mixinStandardHelpOptions = true,
      description = "Remove the address if Vigil added it; otherwise leave it.")
  static final class Del extends Action {
    @Override
    AgentResult apply(FloatingAddressAgent a) {
      return a.stop();
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Exit 0 if the address is configured, 7 if not.")
  static final class Status extends Action {
    @Override
    AgentResult apply(FloatingAddressAgent a) {
      return a.monitor();
    }
  }

  @Command(
      name = "announce",
      mixinStandardHelpOptions = true,
      description = "Send unsolicited ARP / neighbour advertisements again.")
  static final class Announce extends Action {
    @Override
    AgentResult apply(FloatingAddressAgent a) {
      return a.announce();
    }
  }

  /**
   * Moves the address between two network namespaces of this host (stop, verify gone, start).
   * The cluster form {@code vigil ip move ADDRESS NODE} uses the same {@link AddressMove}.
   */
  @Command(
      name = "move",
      mixinStandardHelpOptions = true,
      description = "Move the address from one namespace of this host to another.")
  static final class Move implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin AddressOptions opts = new AddressOptions();

    @Option(names = "--from-netns", required = true, paramLabel = "NS", description = "namespace holding it now")
    String from;

    @Option(names = "--to-netns", required = true, paramLabel = "NS", description = "namespace to move it to")
    String to;

    @Override
    public Integer call() {
      if (opts.netns != null) {
        spec.commandLine().getErr().println("vigil ip move: use --from-netns and --to-netns, not --netns");
        return AgentResult.OCF_ERR_ARGS;
      }
      Function<String, IpParams> parse = ns -> IpParams.parse("command line", opts.params(ns));
      FloatingAddressAgent source;
      FloatingAddressAgent target;
      try {
        source = FloatingAddressAgent.onThisHost(parse.apply(from));
        target = FloatingAddressAgent.onThisHost(parse.apply(to));
      } catch (InvalidParamsException e) {
        spec.commandLine().getErr().println("vigil ip move: " + e.getMessage());
        return AgentResult.OCF_ERR_ARGS;
      }
      AddressMove.Outcome o = AddressMove.move(from, source, to, target);
      PrintWriter out = o.moved() ? spec.commandLine().getOut() : spec.commandLine().getErr();
      o.steps().forEach(s -> out.println("  " + s.holder() + " " + s.action() + ": " + s.result()));
      out.println(o.message());
      return o.moved() ? 0 : AgentResult.OCF_ERR_GENERIC;
    }
  }
}
