package io.vigil.cli;

import io.vigil.model.Durations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil fencing pause|resume}: maintenance windows in which the running cluster fences
 * nobody (or one node). A node lost during the window has its resources blocked until the window
 * ends or an operator runs {@code vigil fence confirm}. Replicated: survives a change of leader.
 */
@Command(name = "fencing", mixinStandardHelpOptions = true, description = "Pause or resume fencing in the running cluster.",
    subcommands = {FencingCommand.Pause.class, FencingCommand.Resume.class})
public final class FencingCommand {

  /** Pauses fencing of every node, or of one, for a bounded time. */
  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = {"Fence nobody (or --node N) for DURATION; it ends by itself.",
          "  vigil fencing pause --for 30m --reason \"kernel upgrade\""})
  public static final class Pause implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Option(names = "--node", paramLabel = "NODE", description = "Only this node (default: every node).") String node;

    @Option(names = "--for", required = true, paramLabel = "DURATION", description = "How long (1s .. 7d), e.g. 30m.")
    String length;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; shown in status and history.")
    String reason;

    @Override
    public Integer call() throws Exception {
      var req = ClusterCli.request("fencing-pause");
      if (node != null) req.put("node", node);
      req.put("forSeconds", Durations.parse(length).toSeconds());
      req.put("reason", reason);
      return NodeCommand.print(ClusterCli.call(dir, req), "fencing pause");
    }
  }

  /** Ends one pause, or every pause. */
  @Command(name = "resume", mixinStandardHelpOptions = true, description = "End the pause ID early (without ID: every pause).")
  public static final class Resume implements Callable<Integer> {
    @Mixin ClusterCli.StateDirOption dir;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID") String id;

    @Override
    public Integer call() throws Exception {
      var req = ClusterCli.request("fencing-resume");
      if (id != null) req.put("id", id);
      return NodeCommand.print(ClusterCli.call(dir, req), "fencing resume");
    }
  }
}
