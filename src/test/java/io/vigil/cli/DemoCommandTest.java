package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

  @Test
  void namespacePrefixDefaultsToTheInteractiveDemosAndCanBeChangedByABenchmark() {
    DemoCommand byDefault = new DemoCommand();
    new CommandLine(byDefault).parseArgs("--fault", "none");
    assertThat(byDefault.prefix).isEqualTo(io.vigil.demo.DemoLayout.NS_PREFIX);

    DemoCommand bench = new DemoCommand();
    new CommandLine(bench).parseArgs("--netns-prefix", "vbd", "--json");
    assertThat(bench.prefix).isEqualTo("vbd");
  }

  @Test
  void namespacePrefixIsNotAdvertisedInTheHelp() {
    String usage = new CommandLine(new DemoCommand()).getUsageMessage();
    assertThat(usage).contains("--fault").doesNotContain("--netns-prefix");
  }
}
