package io.vigil.cli;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.Sleeper;
import io.vigil.fencing.device.DeviceFactory;
import io.vigil.fencing.topology.FenceAttempt;
import io.vigil.fencing.topology.FenceOperation;
import io.vigil.fencing.topology.FencingEngine;
import io.vigil.fencing.topology.Level;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Durations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil fence NODE -f cluster.yaml [--reboot|--off|--on] [--timeout 20s] [--reason ...]}: fences a node
 * from this host through its topology; without {@code -f}, the local daemon fences it through the running
 * cluster's configuration and records it in the replicated history. Exit 0 fenced, 1 fencing failed, 2 bad
 * input. Its subcommands
 * {@code history} and {@code confirm} work through the running cluster's replicated state.
 */
@Command(name = "fence", mixinStandardHelpOptions = true,
    subcommands = {FenceListDevicesCommand.class, FenceTestCommand.class, FenceHistoryCommand.class, FenceConfirmCommand.class},
    description = {"Fence a node now through its fencing topology (levels in order): with -f from this host,",
        "without -f through the running cluster (recorded in its history).",
        "Exit status: 0 fenced, 1 every level failed, 2 bad configuration or arguments."})
public final class FenceCommand implements Callable<Integer> {
  static final int EXIT_FAILED = 1;
  static final int EXIT_BAD_INPUT = 2;

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "The node to fence.")
  String node;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The cluster.yaml with the fence devices.")
  Path file;

  @ArgGroup(exclusive = true)
  ActionChoice choice;

  static final class ActionChoice {
    @Option(names = "--reboot", description = "Power-cycle the node (default: the cluster's fencing-action).")
    boolean reboot;

    @Option(names = "--off", description = "Power the node off.")
    boolean off;

    @Option(names = "--on", description = "Power the node on (unfencing).")
    boolean on;
  }

  @Option(names = "--timeout", paramLabel = "DURATION", description = "Limit for the whole operation (default: fencing-timeout).")
  String timeout;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded with every attempt.")
  String reason;

  @picocli.CommandLine.Mixin ClusterCli.StateDirOption dir = new ClusterCli.StateDirOption();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (node == null) {
      spec.commandLine().usage(out);
      return file == null ? 0 : EXIT_BAD_INPUT;
    }
    if (file == null) return throughCluster(out, err);
    Optional<ClusterConfig> config = load(file, err);
    if (config.isEmpty()) return EXIT_BAD_INPUT;
    FencingEngine engine = engine(config.get(), err);
    FenceAction action = choice == null ? FenceAction.parse(config.get().properties()
        .getOrDefault(io.vigil.model.ClusterProperties.FENCING_ACTION)).orElse(FenceAction.REBOOT)
        : choice.off ? FenceAction.OFF : choice.on ? FenceAction.ON : FenceAction.REBOOT;
    Optional<Duration> limit = Optional.ofNullable(timeout).map(Durations::parse);
    List<Level> plan = engine.topology().plan(node);
    out.printf("fencing %s (%s) through %d level(s): %s%n", node, action, plan.size(),
        String.join("; ", plan.stream().map(l -> l.index() + "=" + String.join("+", l.devices())).toList()));
    out.flush();
    FenceOperation op = engine.fence(new FenceRequest(node, action, FenceRequest.Kind.OPERATOR,
        System.getProperty("user.name", "unknown") + "@cli", reason, limit));
    for (FenceAttempt a : op.attempts()) {
      out.printf("  level %d  %-16s %-8s %6d ms  %s%n", a.level(), a.device(), a.action(), a.duration().toMillis(), a.result());
    }
    out.println((op.succeeded() ? "fenced: " : "FAILED: ") + op.summary());
    out.flush();
    return op.succeeded() ? 0 : EXIT_FAILED;
  }

  /** Without -f: the local daemon fences through the running cluster's topology and records it. */
  private int throughCluster(PrintWriter out, PrintWriter err) throws Exception {
    if (choice != null && choice.on) {
      err.println("vigil fence: --on runs from this host only: vigil fence " + node + " --on -f cluster.yaml");
      err.flush();
      return EXIT_BAD_INPUT;
    }
    var req = ClusterCli.request("fence");
    req.put("node", node);
    if (choice != null) req.put("action", choice.off ? "off" : "reboot");
    if (timeout != null) req.put("timeoutSeconds", Durations.parse(timeout).toSeconds());
    if (reason != null) req.put("reason", reason);
    out.println("fencing " + node + " through the running cluster (from the daemon at " + dir.resolve() + ")");
    out.flush();
    var r = ClusterCli.call(dir, req);
    for (var a : r.path("attempts")) {
      out.printf("  level %d  %-16s %-8s %6d ms  %s%n", a.path("level").asInt(), a.path("device").asText(),
          a.path("action").asText(), a.path("durationMillis").asLong(), a.path("result").asText());
    }
    out.flush();
    if (!r.has("summary")) {
      err.println("vigil fence: " + r.path("error").asText());
      err.flush();
      return r.path("error").asText().startsWith("unknown node") || r.path("error").asText().startsWith("fence action")
          ? EXIT_BAD_INPUT : EXIT_FAILED;
    }
    out.println(r.path("message").asText());
    out.flush();
    return r.path("ok").asBoolean() ? 0 : EXIT_FAILED;
  }

  /** Loads and checks {@code file}; prints every problem to {@code err}; empty when it is invalid. */
  static Optional<ClusterConfig> load(Path file, PrintWriter err) {
    ConfigLoader.Result r = new ConfigLoader(AgentCatalog.NONE).check(file);
    r.problems().forEach(err::println);
    err.flush();
    return r.config();
  }

  /** The standalone engine for {@code config}; device errors go to {@code err}, log lines too. */
  static FencingEngine engine(ClusterConfig config, PrintWriter err) {
    FencingEngine e = new FencingEngine(config, DeviceFactory.system(), Clock.systemUTC(), Sleeper.REAL,
        new SplittableRandom(), line -> {
          err.println("vigil fence: " + line);
          err.flush();
        });
    e.deviceErrors().values().forEach(m -> err.println("vigil fence: unusable device: " + m));
    err.flush();
    return e;
  }
}
