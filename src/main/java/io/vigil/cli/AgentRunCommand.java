package io.vigil.cli;

import io.vigil.exec.AgentExecutor;
import io.vigil.model.AgentRef;
import io.vigil.model.Durations;
import io.vigil.exec.ExecResult;
import io.vigil.exec.Invocation;
import io.vigil.exec.OcfRc;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil agent run AGENT ACTION --param k=v ...}: runs one action with exactly the
 * environment the cluster would give it, prints rc, meaning, duration and output, and exits
 * with the agent's rc (198 when it timed out).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run one agent action as the cluster would; exit with the agent's rc.",
        "  vigil agent run ocf:heartbeat:Dummy start --param state=/tmp/d.state",
        "  vigil agent run web monitor -f cluster.yaml"})
final class AgentRunCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin AgentCommand.ExecOptions exec = new AgentCommand.ExecOptions();

  @Parameters(index = "0", paramLabel = "AGENT|RESOURCE",
      description = "An agent (ocf:heartbeat:Dummy, lsb:NAME, systemd:UNIT, builtin:TYPE), or a resource id with -f.")
  String target;

  @Parameters(index = "1", paramLabel = "ACTION", description = "start, stop, monitor, validate-all, meta-data, ...")
  String action;

  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Instance parameter (repeatable).")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = {"-m", "--meta"}, paramLabel = "NAME=VALUE",
      description = "Meta attribute, passed as OCF_RESKEY_CRM_meta_NAME (repeatable).")
  Map<String, String> meta = new LinkedHashMap<>();

  @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", converter = AgentCommand.DurationConverter.class,
      defaultValue = "20s", description = "Action timeout (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--interval", paramLabel = "DURATION", converter = AgentCommand.DurationConverter.class,
      defaultValue = "0", description = "Interval passed as OCF_RESKEY_CRM_meta_interval (default 0).")
  Duration interval;

  @Option(names = {"-i", "--instance"}, paramLabel = "ID",
      description = "Resource instance id (OCF_RESOURCE_INSTANCE); default: the agent type.")
  String instance;

  @Option(names = "--env", description = "Show the environment passed to the agent.")
  boolean showEnv;

  /** Parameters whose values come from secret files: never printed. */
  private java.util.Set<String> secretParams = java.util.Set.of();

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Cluster configuration: run resource AGENT|RESOURCE from it.")
  Path configFile;

  @Option(names = "--force",
      description = "Act on RESOURCE even though the cluster running on this host manages it (it may then run twice).")
  boolean force;

  @CommandLine.Mixin ClusterCli.StateDirOption stateDir = new ClusterCli.StateDirOption();

  /** Actions that only look: allowed on a resource the cluster manages. */
  static final java.util.Set<String> READ_ONLY = java.util.Set.of("monitor", "status", "meta-data", "metadata", "validate-all");

  /** Exit status when the action is refused because the running cluster manages the resource. */
  static final int EXIT_MANAGED = 2;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    AgentExecutor executor = exec.executor();
    Invocation inv;
    if (configFile != null && !force && !READ_ONLY.contains(action)) {
      java.util.Optional<String> managed = managedByLocalCluster(stateDir.resolve(), target, spec.commandLine().getErr());
      if (managed.isPresent()) {
        spec.commandLine().getErr().println("vigil agent run: refusing to " + action + " '" + target + "': " + managed.get()
            + "; the cluster would not know and could run it twice. Use vigil resource stop|start|restart|cleanup "
            + target + ", or add --force if you really mean it.");
        spec.commandLine().getErr().flush();
        return EXIT_MANAGED;
      }
    }
    if (configFile != null) {
      inv = AgentCommand.resourceResolver().resolve(configFile, target, action);
      secretParams = AgentCommand.resourceResolver().secretParams(configFile, target);
    } else {
      try {
        AgentRef agent = AgentRef.parse(target);
        inv = new Invocation(agent, instance == null ? agent.type() : instance, action, params, meta, timeout, interval);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    if (showEnv) {
      out.println("environment:");
      java.util.Set<String> secretEnv = new java.util.HashSet<>();
      secretParams.forEach(name -> {
        secretEnv.add("OCF_RESKEY_" + name);
        secretEnv.add(name);
      });
      executor.environment(inv).forEach((k, v) ->
          out.println("  " + k + "=" + (secretEnv.contains(k) ? "(secret, from secret-params)" : v)));
    }
    ExecResult r = executor.run(inv);
    print(out, r);
    return r.rc();
  }

  static void print(PrintWriter out, ExecResult r) {
    Invocation inv = r.invocation();
    out.println("agent:    " + inv.agent());
    out.println("action:   " + inv.action() + " (instance " + inv.resourceId() + ", timeout "
        + Durations.format(inv.timeout()) + ")");
    out.println("rc:       " + r.rc() + " " + r.rcName() + " (" + OcfRc.describe(r.rc()) + ") ["
        + r.classification().label() + "]");
    if (!r.exitReason().isEmpty()) {
      out.println("reason:   " + r.exitReason());
    }
    if (!r.detail().isEmpty()) {
      out.println("detail:   " + r.detail());
    }
    out.println("duration: " + r.duration().toMillis() + " ms");
    if (!r.output().isBlank()) {
      out.println("output" + (r.outputTruncated() ? " (last " + r.output().length() + " characters)" : "") + ":");
      r.output().lines().forEach(l -> out.println("  " + l));
    }
  }

  /**
   * Why {@code resource} is the running cluster's on this host: the local daemon answers on its
   * control socket and its current configuration has the resource. Empty when no daemon runs
   * here, or it does not manage the resource; an unreachable daemon is reported on {@code err}.
   */
  static java.util.Optional<String> managedByLocalCluster(Path stateDir, String resource, PrintWriter err) {
    Path socket = io.vigil.cluster.daemon.StateDir.socket(stateDir);
    if (!java.nio.file.Files.exists(socket)) return java.util.Optional.empty();
    com.fasterxml.jackson.databind.JsonNode r;
    try {
      r = new io.vigil.exec.ControlClient(socket).call(ClusterCli.request("config"));
    } catch (java.io.IOException e) {
      err.println("vigil agent run: warning: cannot ask the local daemon whether it manages '" + resource + "': " + e.getMessage());
      return java.util.Optional.empty();
    }
    String yaml = r.path("yaml").asText("");
    if (!r.path("ok").asBoolean() || yaml.isEmpty()) return java.util.Optional.empty();
    var config = new io.vigil.config.ConfigLoader(io.vigil.config.AgentCatalog.NONE).check(yaml, "cluster").config();
    if (config.isEmpty() || config.get().resource(resource).isEmpty()) return java.util.Optional.empty();
    return java.util.Optional.of("the cluster running on this host (daemon at " + socket + ", configuration epoch "
        + r.path("epoch").asLong() + ") manages it");
  }
}
