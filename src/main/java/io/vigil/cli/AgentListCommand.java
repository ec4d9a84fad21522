package io.vigil.cli;

import io.vigil.exec.AgentCatalog;
import io.vigil.model.AgentRef;
import io.vigil.model.ResourceClass;
import io.vigil.exec.SystemdUnits;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vigil agent list [ocf|lsb|systemd|builtin]}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List installed agents, one per line.")
final class AgentListCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin AgentCommand.ExecOptions exec = new AgentCommand.ExecOptions();

  @Parameters(arity = "0..1", paramLabel = "STANDARD", description = "ocf, lsb, systemd or builtin (default: all).")
  String standard;

  private static final List<ResourceClass> RUNNABLE =
      List.of(ResourceClass.OCF, ResourceClass.LSB, ResourceClass.SYSTEMD, ResourceClass.BUILTIN);

  @Override
  public Integer call() {
    List<ResourceClass> standards;
    try {
      standards = standard == null ? RUNNABLE : List.of(ResourceClass.parse(standard)
          .filter(RUNNABLE::contains)
          .orElseThrow(() -> new IllegalArgumentException("unknown agent class '" + standard
              + "': expected one of ocf, lsb, systemd, builtin")));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    AgentCatalog catalog = new AgentCatalog(exec.executor());
    for (ResourceClass s : standards) {
      if (s == ResourceClass.SYSTEMD && standard != null) {
        SystemdUnits.unavailableReason().ifPresent(r -> spec.commandLine().getErr().println("vigil agent list: " + r));
      }
      for (AgentRef ref : catalog.list(s)) {
        spec.commandLine().getOut().println(ref);
      }
    }
    return 0;
  }
}
