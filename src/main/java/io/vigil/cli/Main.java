package io.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code vigil} command: wires the subcommands and maps errors to exit codes. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Vigil: high-availability cluster stack for Linux.",
    subcommands = {
      CommandLine.HelpCommand.class,
      ValidateCommand.class,
      ConfigCommand.class,
      AgentCommand.class,
      ImportCibCommand.class,
      SimulateCommand.class,
      IpCommand.class,
      IpProviderCommand.class,
      FenceCommand.class,
      BalancerCommand.class,
      VolumeCommand.class,
      DaemonCommand.class,
      ClusterCommand.class,
      NodeCommand.class,
      ClusterStatusCommand.class,
      ClusterApplyCommand.class,
      ClusterHistoryCommand.class,
      ResourceCommand.class,
      FencingCommand.class,
      DemoCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command line with every subcommand; tests use it to run commands in-process. */
  public static CommandLine commandLine() {
    AgentCommand.setResourceResolver(new ConfiguredResources());
    ValidateCommand.catalogs = () -> new InstalledAgents(new AgentCommand.ExecOptions().executor());
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
