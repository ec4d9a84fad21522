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
    description = "Floating addresses on this host (no cluster needed); 'move ADDRESS NODE' moves one in the cluster.",
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

    @Option(names = "--dev", paramLabel = "IF", description = "interface, e.g. eth0 or lo (required except for 'move ADDRESS NODE')")
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

    @Option(names = "--state-dir", paramLabel = "DIR", description = "ownership records (default /run/vigil/ip); for "
        + "'move ADDRESS NODE': the node's state directory (default $VIGIL_STATE_DIR or /var/lib/vigil)")
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
      if (opts.dev == null) {
        err.println("vigil ip " + spec.name() + ": missing --dev IF (the interface that carries the address, e.g. eth0 or lo)");
        return AgentResult.OCF_ERR_ARGS;
      }
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
   * {@code move ADDRESS NODE} moves the cluster resource holding ADDRESS to NODE ({@link IpClusterMove});
   * {@code move ADDRESS --dev IF --from-netns A --to-netns B} moves it between two namespaces of this
   * host with {@link AddressMove} (stop, verify gone, start), no cluster needed.
   */
  @Command(
      name = "move",
      mixinStandardHelpOptions = true,
      description = {"Move the address to NODE in the running cluster (as vigil resource move does with its resource or group), "
          + "or from one namespace of this host to another (--from-netns/--to-netns)."})
  static final class Move implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin AddressOptions opts = new AddressOptions();

    @Parameters(index = "1", arity = "0..1", paramLabel = "NODE", description = "cluster node to move the address to")
    String node;

    @Option(names = "--from-netns", paramLabel = "NS", description = "namespace holding it now (this-host form)")
    String from;

    @Option(names = "--to-netns", paramLabel = "NS", description = "namespace to move it to (this-host form)")
    String to;

    @Option(names = "--lifetime", paramLabel = "DURATION",
        description = "cluster form: the move constraint only lasts this long (e.g. 1h), as vigil resource move --lifetime")
    String lifetime;

    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "cluster form: wait until the address is active on NODE (default; --no-wait returns after the move is committed)")
    boolean waitForIt;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
        description = "cluster form: how long to wait (default ${DEFAULT-VALUE})")
    String timeout;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      if (node != null) {
        if (from != null || to != null || opts.dev != null || opts.netns != null) {
          err.println("vigil ip move ADDRESS NODE takes the address's interface from the cluster configuration: "
              + "leave out --dev, --netns, --from-netns and --to-netns");
          return AgentResult.OCF_ERR_ARGS;
        }
        java.time.Duration wait;
        java.util.Optional<java.time.Duration> life;
        try {
          wait = io.vigil.model.Durations.parse(timeout);
          life = lifetime == null ? java.util.Optional.empty() : java.util.Optional.of(io.vigil.model.Durations.parse(lifetime));
        } catch (IllegalArgumentException e) {
          err.println("vigil ip move: " + e.getMessage());
          return AgentResult.OCF_ERR_ARGS;
        }
        ClusterCli.StateDirOption dir = new ClusterCli.StateDirOption();
        dir.stateDir = opts.stateDir == null ? null : java.nio.file.Path.of(opts.stateDir);
        int rc = IpClusterMove.run(dir, new IpClusterMove.Options(opts.address, node, life, waitForIt, wait),
            spec.commandLine().getOut(), err);
        spec.commandLine().getOut().flush();
        err.flush();
        return rc;
      }
      if (from == null || to == null) {
        err.println("vigil ip move: give NODE to move the address in the cluster, or --from-netns and --to-netns "
            + "to move it between namespaces of this host");
        return AgentResult.OCF_ERR_ARGS;
      }
      if (opts.netns != null) {
        err.println("vigil ip move: use --from-netns and --to-netns, not --netns");
        return AgentResult.OCF_ERR_ARGS;
      }
      if (opts.dev == null) {
        err.println("vigil ip move: missing --dev IF (the interface that carries the address in both namespaces)");
        return AgentResult.OCF_ERR_ARGS;
      }
      Function<String, IpParams> parse = ns -> IpParams.parse("command line", opts.params(ns));
      FloatingAddressAgent source;
      FloatingAddressAgent target;
      try {
        source = FloatingAddressAgent.onThisHost(parse.apply(from));
        target = FloatingAddressAgent.onThisHost(parse.apply(to));
      } catch (InvalidParamsException e) {
        err.println("vigil ip move: " + e.getMessage());
        return AgentResult.OCF_ERR_ARGS;
      }
      AddressMove.Outcome o = AddressMove.move(from, source, to, target);
      PrintWriter out = o.moved() ? spec.commandLine().getOut() : err;
      o.steps().forEach(s -> out.println("  " + s.holder() + " " + s.action() + ": " + s.result()));
      out.println(o.message());
      return o.moved() ? 0 : AgentResult.OCF_ERR_GENERIC;
    }
  }
}
