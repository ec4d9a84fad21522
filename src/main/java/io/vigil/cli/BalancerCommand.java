package io.vigil.cli;

import io.vigil.agents.balancer.Balancer;
import io.vigil.agents.balancer.BalancerKeys;
import io.vigil.agents.balancer.StatusTable;
import io.vigil.agents.balancer.VirtualService;
import io.vigil.agents.balancer.VirtualServiceYaml;
import io.vigil.agents.balancer.ipvs.CommandRunner;
import io.vigil.agents.balancer.ipvs.IpvsApplier;
import io.vigil.agents.balancer.ipvs.IpvsCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil balancer}: check, run (user-space proxy) or program (ipvs) a layer-4 virtual service. */
@Command(
    name = "balancer",
    mixinStandardHelpOptions = true,
    description = "Layer-4 load balancer: virtual services with IPVS schedulers and health checks.",
    subcommands = {
      BalancerCommand.Check.class, BalancerCommand.Run.class, BalancerCommand.Status.class, BalancerCommand.Ipvs.class,
      BalancerCommand.Keys.class
    })
public final class BalancerCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the balancer commands on their own (benchmarks, tests) until Main registers them. */
  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new BalancerCommand());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    System.exit(cl.execute(args));
  }

  @Command(name = "check", description = "Validate a virtual-service file and print a summary.")
  static final class Check implements java.util.concurrent.Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, description = "virtual-service YAML file") Path file;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      VirtualService vs = VirtualServiceYaml.load(file);
      spec.commandLine().getOut().printf("%s: virtual service %s on %s, mode %s, scheduler %s, %d real servers%n",
          file, vs.name(), vs.listen(), vs.mode().name().toLowerCase(java.util.Locale.ROOT), vs.scheduler(), vs.realServers().size());
      return 0;
    }
  }

  @Command(name = "run", description = "Run a virtual service in the user-space proxy, printing counters.")
  static final class Run implements java.util.concurrent.Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, description = "virtual-service YAML file") Path file;
    @Option(names = "--stats-every", defaultValue = "10s", description = "print counters this often (0 = never); default ${DEFAULT-VALUE}")
    String statsEvery;
    @Option(names = "--for", defaultValue = "0", description = "stop after this long (0 = until SIGTERM/SIGINT)") String runFor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      VirtualService vs = VirtualServiceYaml.load(file);
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      // On SIGTERM/SIGINT: let the main thread close the proxy and print the last counters first.
      Thread hook = new Thread(() -> {
        stop.countDown();
        try {
          closed.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "vigil-balancer-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try (Balancer b = new Balancer(vs, e -> {
        err.println("event: " + e);
        err.flush();
      })) {
        out.println("balancer " + vs.name() + " listening on " + b.start());
        out.flush();
        long every = parse(statsEvery).toMillis();
        long deadline = parse(runFor).isZero() ? Long.MAX_VALUE : System.nanoTime() + parse(runFor).toNanos();
        while (System.nanoTime() < deadline) {
          long wait = Math.min(every == 0 ? 1000 : every, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
          if (stop.await(wait, TimeUnit.MILLISECONDS)) {
            break;
          }
          if (every > 0) {
            out.print(StatusTable.format(b.engine().status()));
            out.flush();
          }
        }
        out.print(StatusTable.format(b.engine().status()));
        out.flush();
      } finally {
        closed.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // JVM is already exiting through the hook
        }
      }
      return 0;
    }
  }

  @Command(name = "status", description = "Live counters of the balancers running in this node's vigild (builtin:balancer resources).")
  static final class Status implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Mixin ClusterCli.StateDirOption dir;
    @Option(names = "--json", description = "print the counters as JSON") boolean json;
    @CommandLine.Parameters(arity = "0..1", paramLabel = "RESOURCE", description = "only this balancer resource") String resource;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      var out = spec.commandLine().getOut();
      var r = ClusterCli.call(dir, ClusterCli.request("local-status"));
      if (!r.path("ok").asBoolean()) {
        spec.commandLine().getErr().println("vigil balancer status: " + r.path("error").asText());
        return 1;
      }
      List<io.vigil.agents.balancer.agent.BalancerSnapshot> all = BalancerReport.parse(r).stream()
          .filter(s -> resource == null || s.resource().equals(resource)).toList();
      if (resource != null && all.isEmpty()) {
        spec.commandLine().getErr().println("vigil balancer status: balancer resource '" + resource + "' does not run on node "
            + r.path("node").asText() + " (vigil status shows where it runs)");
        return 1;
      }
      if (json) {
        var picked = ClusterCli.JSON.createArrayNode(); // as the daemon sent them, totals included
        r.path(BalancerReport.NAME).forEach(n -> {
          if (resource == null || n.path("resource").asText().equals(resource)) picked.add(n);
        });
        var doc = ClusterCli.JSON.createObjectNode().put("node", r.path("node").asText());
        doc.set(BalancerReport.NAME, picked);
        out.println(ClusterCli.JSON.writeValueAsString(doc));
      } else if (all.isEmpty()) {
        out.println("no balancer runs on node " + r.path("node").asText());
      } else {
        all.forEach(s -> out.print(io.vigil.agents.balancer.agent.BalancerReports.table(s)));
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "ipvs", description = "Print (or apply) the ipvsadm commands of a mode-ipvs virtual service.")
  static final class Ipvs implements java.util.concurrent.Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, description = "virtual-service YAML file") Path file;
    @Option(names = "--apply", description = "run the commands (needs the ip_vs kernel module and ipvsadm)") boolean apply;
    @Option(names = "--delete", description = "remove the service instead of creating it") boolean delete;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      VirtualService vs = VirtualServiceYaml.load(file);
      if (vs.mode() != VirtualService.Mode.IPVS) {
        throw new IllegalArgumentException(file + ": virtual service " + vs.name() + " has mode proxy, expected mode: ipvs");
      }
      List<List<String>> cmds = delete ? List.of(IpvsCommands.deleteService(vs)) : IpvsCommands.create(vs);
      if (!apply) {
        cmds.forEach(c -> spec.commandLine().getOut().println(String.join(" ", c)));
        return 0;
      }
      IpvsApplier applier = new IpvsApplier(CommandRunner.processes(Duration.ofSeconds(10)));
      if (delete) {
        applier.delete(vs);
      } else {
        applier.create(vs);
      }
      return 0;
    }
  }

  @Command(name = "keys", description = "List every virtual-service configuration key with its default.")
  static final class Keys implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      for (BalancerKeys.Key<?> k : BalancerKeys.ALL) {
        spec.commandLine().getOut().printf("%-32s %-18s %s%n", k.name(), k.defaultValue() == null ? "-" : k.defaultValue(), k.doc());
      }
    }
  }

  static Duration parse(String text) {
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration, expected e.g. 500ms, 10s, 5m");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
