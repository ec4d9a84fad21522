package io.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.config.Problem;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil validate -f cluster.yaml [--json]}: every problem at once; exit 0 valid, 1 not. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a cluster configuration and report every problem with file:line:column.")
public final class ValidateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The cluster.yaml to check.")
  Path file;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(names = "--no-agents", description = "Do not look up agents' meta-data on this host.")
  boolean noAgents;

  /** Supplies the agent catalog; the executor installs the real one. */
  static volatile java.util.function.Supplier<AgentCatalog> catalogs = () -> AgentCatalog.NONE;

  @Override
  public Integer call() throws Exception {
    ConfigLoader.Result r = new ConfigLoader(noAgents ? AgentCatalog.NONE : catalogs.get()).check(file);
    // the built-in volume type's own checks, as the daemon's apply makes them (nodes, peers, sizes)
    java.util.List<String> builtinErrors = r.config().map(io.vigil.agents.volume.agent.VolumeConfigCheck::errors).orElse(java.util.List.of());
    boolean valid = r.valid() && builtinErrors.isEmpty();
    var out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("file", file.toString());
      root.put("valid", valid);
      ArrayNode problems = root.putArray("problems");
      for (String m : builtinErrors) {
        problems.addObject().put("severity", "error").put("file", file.toString()).put("line", 0).put("column", 0).put("message", m);
      }
      for (Problem p : r.problems()) {
        ObjectNode n = problems.addObject();
        n.put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT));
        n.put("file", p.file());
        n.put("line", p.line());
        n.put("column", p.column());
        n.put("message", p.message());
      }
      out.println(mapper.writeValueAsString(root));
    } else {
      var err = spec.commandLine().getErr();
      r.problems().forEach(err::println);
      builtinErrors.forEach(m -> err.println(file + ": error: " + m));
      if (valid) {
        var c = r.config().orElseThrow();
        out.printf("%s: valid (%d nodes, %d resources, %d constraints%s)%n", file, c.nodes().size(),
            c.allResources().size(), c.constraints().size(),
            r.warnings().isEmpty() ? "" : ", " + r.warnings().size() + " warning(s)");
      } else {
        out.printf("%s: invalid (%d error(s))%n", file, r.errors().size() + builtinErrors.size());
      }
    }
    out.flush();
    return valid ? 0 : 1;
  }
}
