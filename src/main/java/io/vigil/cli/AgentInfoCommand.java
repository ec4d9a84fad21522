package io.vigil.cli;

import io.vigil.model.AgentRef;
import io.vigil.model.Durations;
import io.vigil.exec.metadata.ActionSpec;
import io.vigil.exec.metadata.AgentMetadata;
import io.vigil.exec.metadata.MetadataCache;
import io.vigil.exec.metadata.MetadataException;
import io.vigil.exec.metadata.ParameterSpec;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil agent info AGENT [--xml]}: an agent's parameters and actions from its meta-data. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show an agent's parameters and actions.")
final class AgentInfoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin AgentCommand.ExecOptions exec = new AgentCommand.ExecOptions();

  @Parameters(index = "0", paramLabel = "AGENT", converter = AgentCommand.AgentRefConverter.class,
      description = "e.g. ocf:heartbeat:IPaddr2, lsb:ssh, systemd:nginx, builtin:dummy")
  AgentRef agent;

  @Option(names = "--xml", description = "Print the raw meta-data XML.")
  boolean xml;

  @Option(names = {"-l", "--long"}, description = "Include the agent's long description.")
  boolean longDesc;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    io.vigil.exec.AgentExecutor executor = exec.executor();
    MetadataCache cache = new MetadataCache(executor, executor.config().metadataTimeout());
    try {
      if (xml) {
        out.println(cache.fetchXml(agent).strip());
        return 0;
      }
      print(out, agent, cache.get(agent), longDesc);
      return 0;
    } catch (MetadataException e) {
      spec.commandLine().getErr().println("vigil agent info: " + e.getMessage());
      return 1;
    }
  }

  static void print(PrintWriter out, AgentRef agent, AgentMetadata m, boolean longDesc) {
    out.println(agent + (m.shortDesc().isEmpty() ? "" : " - " + m.shortDesc()) + (m.version().isEmpty() ? "" : " (version " + m.version() + ")"));
    if (longDesc && !m.longDesc().isEmpty()) {
      out.println();
      m.longDesc().lines().map(String::strip).forEach(l -> out.println("  " + l));
    }
    out.println();
    out.println("Parameters (* = required):");
    int w = m.parameters().stream().mapToInt(p -> p.name().length()).max().orElse(4) + 2;
    for (ParameterSpec p : m.parameters()) {
      String flags = (p.required() ? "*" : " ") + (p.unique() ? " unique" : "") + (p.deprecated() ? " deprecated" : "");
      out.printf("  %-" + w + "s %-8s %-30s %s%s%n", p.name(), p.type(),
          p.defaultValue().map(d -> "default: " + (d.isEmpty() ? "\"\"" : d)).orElse(""), flags.strip(),
          p.shortDesc().isEmpty() ? "" : "  " + p.shortDesc());
    }
    if (m.parameters().isEmpty()) {
      out.println("  (none)");
    }
    out.println();
    out.println("Actions:");
    for (ActionSpec a : m.actions()) {
      out.printf("  %-14s%s%s%s%s%n", a.name(),
          a.timeout().map(t -> " timeout " + Durations.format(t)).orElse(""),
          a.interval().filter(i -> !i.isZero()).map(i -> " interval " + Durations.format(i)).orElse(""),
          a.depth().map(d -> " depth " + d).orElse(""),
          a.role().map(r -> " role " + r).orElse(""));
    }
  }
}
