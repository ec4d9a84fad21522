package io.vigil.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vigil resource move|ban|clear}: crm_resource -M/-B/-U for a running cluster. */
@Command(name = "resource", mixinStandardHelpOptions = true, description = "Move, ban or clear a resource in the running cluster.",
    subcommands = {ResourceCommand.Move.class, ResourceCommand.Ban.class, ResourceCommand.Clear.class})
public final class ResourceCommand {

  /** Shared: which resource, optionally which node, and the call. */
  abstract static class Edit implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Parameters(index = "0", paramLabel = "RESOURCE") String resource;

    abstract String op();

    String node() {
      return "";
    }

    @Override
    public Integer call() throws Exception {
      var req = ClusterCli.request(op());
      req.put("resource", resource);
      req.put("node", node());
      return NodeCommand.print(ClusterCli.call(dir, req), "resource " + op().substring("resource-".length()));
    }
  }

  @Command(name = "move", mixinStandardHelpOptions = true,
      description = "Make RESOURCE prefer NODE (INFINITY); without NODE, ban it from where it runs. Stays until 'clear'.")
  static final class Move extends Edit {
    @Parameters(index = "1", arity = "0..1", paramLabel = "NODE") String node;

    @Override
    String op() {
      return "resource-move";
    }

    @Override
    String node() {
      return node == null ? "" : node;
    }
  }

  @Command(name = "ban", mixinStandardHelpOptions = true,
      description = "Keep RESOURCE off NODE (-INFINITY); without NODE, off where it runs now. Stays until 'clear'.")
  static final class Ban extends Edit {
    @Parameters(index = "1", arity = "0..1", paramLabel = "NODE") String node;

    @Override
    String op() {
      return "resource-ban";
    }

    @Override
    String node() {
      return node == null ? "" : node;
    }
  }

  @Command(name = "clear", mixinStandardHelpOptions = true, description = "Remove every move and ban of RESOURCE.")
  static final class Clear extends Edit {
    @Override
    String op() {
      return "resource-clear";
    }
  }
}
