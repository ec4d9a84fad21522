package io.vigil.cli;

import io.vigil.config.ConfigReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code vigil config ...}: facts about the configuration format. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Facts about cluster.yaml.", subcommands = {ConfigCommand.Keys.class})
public final class ConfigCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints every key with its default and meaning (the reference in docs/configuration.md). */
  @Command(name = "keys", aliases = "defaults", mixinStandardHelpOptions = true,
      description = "Print every configuration key, its default and meaning (Markdown).")
  static final class Keys implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().getOut().print(ConfigReference.markdown());
      spec.commandLine().getOut().flush();
    }
  }
}
