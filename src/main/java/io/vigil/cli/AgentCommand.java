package io.vigil.cli;

import io.vigil.exec.AgentExecutor;
import io.vigil.exec.BuiltinRegistry;
import io.vigil.model.Durations;
import io.vigil.exec.ExecConfig;
import io.vigil.exec.Invocation;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil agent}: list, inspect, run and test resource agents without any cluster. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Run and test resource agents (OCF, LSB, systemd, built-in) exactly as the cluster would.",
    subcommands = {AgentListCommand.class, AgentInfoCommand.class, AgentRunCommand.class, AgentTestCommand.class})
public final class AgentCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Resolves {@code vigil agent run RESOURCE_ID ACTION -f cluster.yaml} into an invocation; the
   * configuration capability installs a real one with {@link #setResourceResolver}.
   */
  @FunctionalInterface
  public interface ResourceResolver {
    Invocation resolve(Path configFile, String resourceId, String action) throws Exception;

    /** Names of the parameters whose values are secrets (shown masked by --env). */
    default java.util.Set<String> secretParams(Path configFile, String resourceId) throws Exception {
      return java.util.Set.of();
    }
  }

  private static volatile ResourceResolver resolver = (file, id, action) -> {
    throw new UnsupportedOperationException("vigil agent run RESOURCE_ID ACTION -f " + file
        + " is not supported yet: give an agent instead, e.g. vigil agent run ocf:heartbeat:Dummy " + action);
  };

  public static void setResourceResolver(ResourceResolver r) {
    resolver = r;
  }

  static ResourceResolver resourceResolver() {
    return resolver;
  }

  /** Options every agent subcommand shares: where agents live and how long to wait for kills. */
  public static final class ExecOptions {
    @Option(names = "--ocf-root", paramLabel = "DIR",
        description = "OCF root (agents under DIR/resource.d). Default: $OCF_ROOT or /usr/lib/ocf.")
    Path ocfRoot;

    @Option(names = "--lsb-root", paramLabel = "DIR", description = "LSB init script directory (default /etc/init.d).")
    Path lsbRoot;

    @Option(names = "--kill-grace", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Delay between SIGTERM and SIGKILL of a timed-out agent's process group (default 5s).")
    java.time.Duration killGrace;

    @Option(names = "--netns", paramLabel = "NS",
        description = "Run OCF/LSB agents inside network namespace NS (via ip netns exec).")
    String netns;

    AgentExecutor executor() {
      ExecConfig c = ExecConfig.defaults();
      String envRoot = System.getenv("OCF_ROOT");
      if (ocfRoot != null) {
        c = c.withOcfRoot(ocfRoot);
      } else if (envRoot != null && !envRoot.isBlank()) {
        c = c.withOcfRoot(Path.of(envRoot));
      }
      if (lsbRoot != null) {
        c = c.withLsbRoot(lsbRoot);
      }
      if (killGrace != null) {
        c = c.withKillGrace(killGrace);
      }
      AgentExecutor ex = AgentExecutor.system(c, io.vigil.agents.BuiltinAgents.all(Path.of("/run/vigil")));
      return netns == null ? ex : ex.withCommandPrefix(List.of("ip", "netns", "exec", netns));
    }
  }

  /** picocli converter for "20s", "500ms", "2min". */
  public static final class DurationConverter implements CommandLine.ITypeConverter<java.time.Duration> {
    @Override
    public java.time.Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** picocli converter for agent references such as ocf:heartbeat:Dummy. */
  public static final class AgentRefConverter implements CommandLine.ITypeConverter<io.vigil.model.AgentRef> {
    @Override
    public io.vigil.model.AgentRef convert(String value) {
      try {
        return io.vigil.model.AgentRef.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
