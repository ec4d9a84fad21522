package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.Durations;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil history [--since 1h] [--node N] [--resource R] [--json]}: the cluster's recorded events. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show the cluster's event history.")
public final class ClusterHistoryCommand implements Callable<Integer> {
  @Mixin ClusterCli.StateDirOption dir;

  @Option(names = "--since", description = "Only events newer than this (e.g. 30m, 2h).") String since;

  @Option(names = "--node") String node;

  @Option(names = "--resource") String resource;

  @Option(names = "--limit", defaultValue = "50") int limit;

  @Option(names = "--json", description = "Print the events as one JSON object.") boolean json;

  @Override
  public Integer call() throws Exception {
    var req = ClusterCli.request("history");
    req.put("limit", limit);
    if (node != null) req.put("node", node);
    if (resource != null) req.put("resource", resource);
    if (since != null) req.put("since", System.currentTimeMillis() - Durations.parse(since).toMillis());
    JsonNode r = ClusterCli.call(dir, req);
    if (json) {
      System.out.println(ClusterCli.JSON.writeValueAsString(r));
      return r.path("ok").asBoolean() ? 0 : 1;
    }
    if (!r.path("ok").asBoolean()) {
      System.err.println("vigil history: " + r.path("error").asText());
      return 1;
    }
    for (JsonNode e : r.path("events")) {
      System.out.printf("%-5d %s  %-10s %-10s %-10s %s%s%n", e.path("seq").asLong(),
          Instant.ofEpochMilli(e.path("timeMillis").asLong()), e.path("kind").asText().toLowerCase(java.util.Locale.ROOT),
          e.path("node").asText("-").isEmpty() ? "-" : e.path("node").asText(),
          e.path("resource").asText().isEmpty() ? "-" : e.path("resource").asText(), e.path("text").asText(),
          e.path("author").asText().isEmpty() ? "" : "  (" + e.path("author").asText() + ")");
    }
    return 0;
  }
}
