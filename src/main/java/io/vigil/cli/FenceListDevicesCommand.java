package io.vigil.cli;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.device.DeviceFactory;
import io.vigil.fencing.topology.CoverageCheck;
import io.vigil.fencing.topology.FencingEngine;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Primitive;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil fence list-devices -f cluster.yaml [--validate]}: every fence device, which nodes it fences, its
 * delays, each node's levels, and whether every node can be fenced. Exit 0 fine, 1 a problem was found.
 */
@Command(name = "list-devices", mixinStandardHelpOptions = true,
    description = {"List fence devices, the nodes each can fence, every node's levels and coverage problems.",
        "With --validate, also check each device's parameters against its agent's metadata and run validate-all."})
public final class FenceListDevicesCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The cluster.yaml.")
  Path file;

  @Option(names = "--validate", description = "Run metadata and validate-all for each device (no fencing).")
  boolean validate;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<ClusterConfig> config = FenceCommand.load(file, err);
    if (config.isEmpty()) return FenceCommand.EXIT_BAD_INPUT;
    FencingEngine engine = FenceCommand.engine(config.get(), err);
    boolean problems = !engine.deviceErrors().isEmpty();
    out.printf("%-20s %-24s %-14s %-28s %s%n", "DEVICE", "AGENT", "CHECK", "NODES", "DELAY");
    for (Primitive p : engine.primitives().values()) {
      Optional<DeviceSettings> s = engine.topology().device(p.id());
      String check = s.map(x -> x.hostCheck().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).orElse("?");
      String nodes = s.map(x -> x.hostCheck() == DeviceSettings.HostCheck.DYNAMIC_LIST ? "(asks the device)"
          : x.hostCheck() == DeviceSettings.HostCheck.NONE ? "(any)" : String.join(",", x.configuredTargets())).orElse("?");
      String delay = s.map(x -> fmt(x.delayBase()) + (x.delayMax().compareTo(x.delayBase()) > 0 ? ".." + fmt(x.delayMax()) : "")
          + (x.delayBasePerNode().isEmpty() ? "" : " per node " + x.delayBasePerNode())).orElse("?");
      out.printf("%-20s %-24s %-14s %-28s %s%n", p.id(), p.agent(), check, nodes, delay);
    }
    out.println();
    for (var n : config.get().nodes()) {
      out.printf("node %-14s levels: %s%n", n.name(), engine.topology().plan(n.name()).stream()
          .map(l -> l.index() + "=" + String.join("+", l.devices())).reduce((a, b) -> a + "; " + b).orElse("(none)"));
    }
    for (CoverageCheck.Finding f : engine.coverage()) {
      out.println((f.error() ? "error: " : "warning: ") + f.message());
      problems |= f.error();
    }
    if (validate) {
      DeviceFactory factory = DeviceFactory.system();
      for (Primitive p : engine.primitives().values()) {
        List<String> found = factory.validate(p, engine.defaultTimeout());
        out.println(found.isEmpty() ? "valid: " + p.id() : String.join("\n", found.stream().map(m -> "invalid: " + m).toList()));
        problems |= !found.isEmpty();
      }
    }
    out.flush();
    return problems ? FenceCommand.EXIT_FAILED : 0;
  }

  private static String fmt(Duration d) {
    return io.vigil.model.Durations.format(d);
  }
}
