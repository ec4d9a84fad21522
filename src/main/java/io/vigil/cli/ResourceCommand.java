package io.vigil.cli;

import io.vigil.model.Durations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil resource move|ban|clear|start|stop|restart|cleanup}: crm_resource for a running
 * cluster. Exit 0 done, 1 refused (the daemon says why; nothing was changed).
 */
@Command(name = "resource", mixinStandardHelpOptions = true,
    description = "Move, ban, clear, start, stop, restart or clean up a resource in the running cluster.",
    subcommands = {ResourceCommand.Move.class, ResourceCommand.Ban.class, ResourceCommand.Clear.class,
        ResourceCommand.Start.class, ResourceCommand.Stop.class, ResourceCommand.Restart.class, ResourceCommand.Cleanup.class})
public final class ResourceCommand {

  /** Shared: which resource, optionally which node, and the call. */
  abstract static class Edit implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Parameters(index = "0", paramLabel = "RESOURCE") String resource;

    abstract String op();

    String node() {
      return "";
    }

    /** Adds this command's own fields to the request. */
    void extra(com.fasterxml.jackson.databind.node.ObjectNode req) {}

    @Override
    public Integer call() throws Exception {
      var req = ClusterCli.request(op());
      req.put("resource", resource);
      req.put("node", node());
      extra(req);
      return NodeCommand.print(ClusterCli.call(dir, req), "resource " + op().substring("resource-".length()));
    }
  }

  /** move and ban: an optional node and an optional lifetime. */
  abstract static class Placement extends Edit {
    @Parameters(index = "1", arity = "0..1", paramLabel = "NODE") String node;

    @Option(names = "--lifetime", paramLabel = "DURATION",
        description = "Only for this long (e.g. 1h, 30m): the constraint gets a rule 'date lt NOW+DURATION', as crm_resource writes it.")
    String lifetime;

    @Override
    String node() {
      return node == null ? "" : node;
    }

    @Override
    void extra(com.fasterxml.jackson.databind.node.ObjectNode req) {
      if (lifetime != null) req.put("lifetimeSeconds", Durations.parse(lifetime).toSeconds());
    }
  }

  @Command(name = "move", mixinStandardHelpOptions = true,
      description = "Make RESOURCE prefer NODE (INFINITY); without NODE, ban it from where it runs. Stays until 'clear' or its --lifetime ends.")
  static final class Move extends Placement {
    @Override
    String op() {
      return "resource-move";
    }
  }

  @Command(name = "ban", mixinStandardHelpOptions = true,
      description = "Keep RESOURCE off NODE (-INFINITY); without NODE, off where it runs now. Stays until 'clear' or its --lifetime ends.")
  static final class Ban extends Placement {
    @Override
    String op() {
      return "resource-ban";
    }
  }

  @Command(name = "clear", mixinStandardHelpOptions = true, description = "Remove every move and ban of RESOURCE.")
  static final class Clear extends Edit {
    @Override
    String op() {
      return "resource-clear";
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Let the cluster run RESOURCE (target-role Started).")
  static final class Start extends Edit {
    @Override
    String op() {
      return "resource-start";
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop RESOURCE everywhere and keep it stopped (target-role Stopped).")
  static final class Stop extends Edit {
    @Override
    String op() {
      return "resource-stop";
    }
  }

  @Command(name = "restart", mixinStandardHelpOptions = true,
      description = "Stop RESOURCE, wait until the cluster confirms it stopped everywhere, then start it again.")
  static final class Restart extends Edit {
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
        description = "How long to wait for the stop (default ${DEFAULT-VALUE}); after it, RESOURCE stays stopped.")
    String timeout;

    @Override
    String op() {
      return "resource-restart";
    }

    @Override
    void extra(com.fasterxml.jackson.databind.node.ObjectNode req) {
      req.put("timeoutSeconds", Durations.parse(timeout).toSeconds());
    }
  }

  @Command(name = "cleanup", mixinStandardHelpOptions = true,
      description = "Reset RESOURCE's fail counts and forget its operation history (on --node N, else everywhere): the cluster probes it again.")
  static final class Cleanup extends Edit {
    @Option(names = "--node", paramLabel = "NODE", description = "Only on this node.") String node;

    @Override
    String op() {
      return "resource-cleanup";
    }

    @Override
    String node() {
      return node == null ? "" : node;
    }
  }
}
