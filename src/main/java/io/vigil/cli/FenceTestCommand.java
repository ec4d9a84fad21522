package io.vigil.cli;

import io.vigil.fencing.FenceResult;
import io.vigil.fencing.topology.FencingEngine;
import io.vigil.model.ClusterConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil fence test DEVICE -f cluster.yaml [--node N]}: runs the device's monitor and, per node it fences,
 * status; never fences. Exit 0 when every check passed, 1 otherwise, 2 bad input.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = "Check a fence device without fencing: monitor, then status for each node it fences.")
public final class FenceTestCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DEVICE", description = "The fence device's resource id.")
  String device;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The cluster.yaml.")
  Path file;

  @Option(names = "--node", paramLabel = "NODE", description = "Ask status for this node only.")
  String node;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<ClusterConfig> config = FenceCommand.load(file, err);
    if (config.isEmpty()) return FenceCommand.EXIT_BAD_INPUT;
    FencingEngine engine = FenceCommand.engine(config.get(), err);
    Map<String, FenceResult> results = engine.test(device, Optional.ofNullable(node));
    boolean ok = true;
    for (var e : results.entrySet()) {
      out.printf("%-20s %-16s %6d ms  %s%n", device, e.getKey(), e.getValue().duration().toMillis(), e.getValue().summary());
      ok &= e.getValue().succeeded();
    }
    out.println(ok ? "device " + device + ": ok (nothing was fenced)" : "device " + device + ": FAILED (nothing was fenced)");
    out.flush();
    return ok ? 0 : FenceCommand.EXIT_FAILED;
  }
}
