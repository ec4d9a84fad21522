package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil fence history [NODE]}: the fencing events of the running cluster's replicated history. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Show fencing operations, confirmations and pauses recorded by the running cluster.")
final class FenceHistoryCommand implements Callable<Integer> {
  @Mixin ClusterCli.StateDirOption dir;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "Only this node's.") String node;

  @Option(names = "--limit", defaultValue = "50") int limit;

  @Option(names = "--json", description = "Print the events as one JSON object.") boolean json;

  @Override
  public Integer call() throws Exception {
    var req = ClusterCli.request("history");
    req.put("kind", "FENCING").put("limit", limit);
    if (node != null) req.put("node", node);
    JsonNode r = ClusterCli.call(dir, req);
    if (json) {
      System.out.println(ClusterCli.JSON.writeValueAsString(r));
      return r.path("ok").asBoolean() ? 0 : 1;
    }
    if (!r.path("ok").asBoolean()) {
      System.err.println("vigil fence history: " + r.path("error").asText());
      return 1;
    }
    if (r.path("events").isEmpty()) System.out.println("no fencing recorded" + (node == null ? "" : " for " + node));
    for (JsonNode e : r.path("events")) {
      System.out.printf("%s  %-10s %-9s %s  (%s)%n", Instant.ofEpochMilli(e.path("timeMillis").asLong()),
          e.path("node").asText().isEmpty() ? "*" : e.path("node").asText(),
          e.path("rc").asInt(-1) == 0 ? "ok" : e.path("rc").asInt(-1) > 0 ? "FAILED" : "-", e.path("text").asText(),
          e.path("author").asText());
    }
    return 0;
  }
}
