package io.vigil.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil fence confirm NODE --yes}: the operator vouches that a lost node is down (powered
 * off by hand, say). Recorded in the replicated history as a fencing with the operator as author;
 * the node becomes FENCED and its resources are recovered. Refused without {@code --yes}.
 */
@Command(name = "confirm", mixinStandardHelpOptions = true,
    description = {"Tell the running cluster that lost NODE is down; its resources are then recovered elsewhere.",
        "If NODE still runs, its resources will run twice: use --yes only when you know it is off.",
        "Exit status: 0 recorded, 1 refused by the cluster, 2 without --yes."})
final class FenceConfirmCommand implements Callable<Integer> {
  @Mixin ClusterCli.StateDirOption dir;

  @Parameters(index = "0", paramLabel = "NODE") String node;

  @Option(names = "--yes", description = "I have made sure NODE is down.") boolean yes;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the history.") String reason;

  @Override
  public Integer call() throws Exception {
    if (!yes) {
      System.err.println("vigil fence confirm: refusing without --yes: confirming that " + node + " is down makes the cluster"
          + " start its resources elsewhere; if it still runs, they run twice. Make sure it is off, then add --yes.");
      return FenceCommand.EXIT_BAD_INPUT;
    }
    var req = ClusterCli.request("fence-confirm");
    req.put("node", node).put("yes", true);
    if (reason != null) req.put("reason", reason);
    return NodeCommand.print(ClusterCli.call(dir, req), "fence confirm");
  }
}
