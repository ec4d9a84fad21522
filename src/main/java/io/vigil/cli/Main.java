package io.vigil.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code vigil} command: wires the subcommands and maps errors to exit codes. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Vigil: high-availability cluster stack for Linux.",
    subcommands = CommandLine.HelpCommand.class)
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Every top-level command, in the order help lists them. */
  static final List<Class<?>> COMMANDS = List.of(
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
      DemoCommand.class);

  /** Builds the command line with every subcommand; tests use it to run commands in-process. */
  public static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The command line for a run whose first argument is {@code first}: when it names a command,
   * only that one is built (picocli builds a model of every option of every command it is given,
   * ~45 ms of each start with all of them); otherwise (help, an option, a typo) all of them.
   */
  static CommandLine commandLine(String first) {
    AgentCommand.setResourceResolver(new ConfiguredResources());
    ValidateCommand.catalogs = () -> new InstalledAgents(new AgentCommand.ExecOptions().executor());
    CommandLine cl = new CommandLine(new Main());
    boolean known = first != null && COMMANDS.stream().anyMatch(c -> c.getAnnotation(Command.class).name().equals(first));
    for (Class<?> c : COMMANDS) {
      if (!known || c.getAnnotation(Command.class).name().equals(first)) cl.addSubcommand(c);
    }
    cl.setExecutionExceptionHandler(new ErrorHandler());
    return cl;
  }

  public static void main(String[] args) {
    // picocli otherwise looks for Groovy closures at start-up: a failing class lookup that opens
    // every jar of the class path (~30 ms of every command; Vigil has no Groovy).
    if (System.getProperty("picocli.disable.closures") == null) System.setProperty("picocli.disable.closures", "true");
    System.exit(commandLine(args.length > 0 ? args[0] : null).execute(args));
  }
}
