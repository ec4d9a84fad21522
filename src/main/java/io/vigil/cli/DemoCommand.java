package io.vigil.cli;

import io.vigil.demo.Demo;
import io.vigil.demo.FailoverTimeline;
import io.vigil.demo.Prober;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil demo}: a local 3-node cluster with a live, measured failover; {@code --stop} tears it down. */
@Command(name = "demo", mixinStandardHelpOptions = true, subcommands = DemoCommand.Probe.class,
    description = {"Start a local cluster of real daemons, run a floating IP + HTTP service group, kill the node running it",
        "and print the measured recovery. The cluster keeps running until 'vigil demo --stop'.",
        "As root: network namespaces with a real floating IP and a fence device; otherwise loopback ports."})
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--stop", description = "Stop the demo started in --dir and remove everything it created.") boolean stop;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where the demo keeps its nodes' state and logs (default: /tmp/vigil-demo).")
  Path dir;

  @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes, 3..5 (default ${DEFAULT-VALUE}).") int nodes;

  @Option(names = "--mode", defaultValue = "auto", description = "auto, netns or loopback (default ${DEFAULT-VALUE}).") String mode;

  @Option(names = "--fault", defaultValue = "power",
      description = "power (link down + every process of the node killed), daemon (SIGKILL of its vigild only; netns mode), "
          + "freeze (SIGSTOP of its vigild; netns mode), partition (its cable pulled, everything keeps running; healed after the recovery; netns mode) "
          + "or none (form the cluster, start the group, leave it running).")
  String fault;

  @Option(names = "--fast", description = "Fast failover settings (node-timeout 100ms, no ARP probe, the quick JIT) instead of "
      + "the defaults.")
  boolean fast;

  @Option(names = "--jit", paramLabel = "quick|tiered", description = "The daemons' JIT: quick (C1 only, -XX:TieredStopAtLevel=1: "
      + "no optimising compilation in the middle of a failover) or tiered (the JVM's default). Default: quick with --fast, "
      + "else tiered.")
  String jit;

  @Option(names = "--no-fencing", description = "Configure no fence device: a lost node's resources are recovered once its lease "
      + "has run out (the node stops them itself when it loses quorum).") boolean noFencing;

  // Hidden: benchmarks run their own demo next to an interactive one without sharing namespaces.
  @Option(names = "--netns-prefix", hidden = true, defaultValue = "vdemo",
      description = "Prefix of the demo's network namespaces, 1-8 lower-case letters or digits (default ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--json", description = "Also print the measurements as one JSON object on the last line.") boolean json;

  @Option(names = "--witness", description = "Make the last node a witness: it votes and runs nothing, so the group fails over "
      + "between the other nodes (two workers and a witness: how a two-node cluster runs on Raft).") boolean witness;

  @Override
  public Integer call() throws Exception {
    Path base = dir == null ? Demo.defaultBase() : dir;
    if (stop) {
      Demo.stop(base, System.out);
      return 0;
    }
    Demo.Fault f = switch (fault) {
      case "power" -> Demo.Fault.POWER;
      case "daemon" -> Demo.Fault.DAEMON;
      case "freeze" -> Demo.Fault.FREEZE;
      case "none" -> Demo.Fault.NONE;
      case "partition" -> Demo.Fault.PARTITION;
      default -> throw new CommandLine.ParameterException(new CommandLine(this),
          "--fault '" + fault + "': expected power, daemon, freeze, partition or none");
    };
    if (jit != null && !jit.equals("quick") && !jit.equals("tiered")) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--jit '" + jit + "': expected quick or tiered");
    }
    boolean quickJit = jit == null ? fast : jit.equals("quick");
    var options = new Demo.Options(base, nodes, mode, f, fast, json, prefix, !noFencing, witness);
    FailoverTimeline t = new Demo(options, Main.class.getName(), quickJit, System.out,
        stateDir -> Main.commandLine().execute("status", "--state-dir", stateDir.toString())).run();
    return t == null || (t.totalMs() >= 0 && t.dualActiveMs() == 0) ? 0 : 1;
  }

  /** The demo's client: runs inside the client namespace (started by the demo, not by hand). */
  @Command(name = "probe", hidden = true, description = "Probe the demo service every interval and log each attempt.")
  static final class Probe implements Callable<Integer> {
    @Option(names = "--target", required = true, paramLabel = "HOST:PORT") String target;

    @Option(names = "--out", required = true) Path out;

    @Option(names = "--interval", defaultValue = "10ms") String interval;

    @Option(names = "--timeout", defaultValue = "50ms") String timeout;

    @Option(names = "--duration", defaultValue = "10m") String duration;

    @Override
    public Integer call() throws Exception {
      int colon = target.lastIndexOf(':');
      if (colon < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--target '" + target + "': expected HOST:PORT");
      var address = new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
      new Prober(address, io.vigil.model.Durations.parse(interval), io.vigil.model.Durations.parse(timeout),
          io.vigil.model.Durations.parse(duration)).run(out);
      return 0;
    }
  }
}
