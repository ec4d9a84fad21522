package io.vigil.cluster.daemon;

import io.vigil.cli.ClusterApplyCommand;
import io.vigil.cli.ClusterCommand;
import io.vigil.cli.ClusterHistoryCommand;
import io.vigil.cli.ClusterStatusCommand;
import io.vigil.cli.DaemonCommand;
import io.vigil.cli.Main;
import io.vigil.cli.NodeCommand;
import picocli.CommandLine;

/**
 * The {@code vigil} command line with the cluster commands added, as Main will have them once
 * registered; the multi-process tests launch daemons through it.
 */
public final class TestVigil {
  private TestVigil() {}

  static CommandLine commandLine() {
    CommandLine cl = Main.commandLine();
    add(cl, "daemon", new DaemonCommand());
    add(cl, "cluster", new ClusterCommand());
    add(cl, "node", new NodeCommand());
    add(cl, "status", new ClusterStatusCommand());
    add(cl, "apply", new ClusterApplyCommand());
    add(cl, "history", new ClusterHistoryCommand());
    return cl;
  }

  private static void add(CommandLine cl, String name, Object command) {
    if (!cl.getSubcommands().containsKey(name)) cl.addSubcommand(name, command);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
