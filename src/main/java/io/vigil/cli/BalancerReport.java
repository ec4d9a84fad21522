package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.agents.balancer.agent.BalancerReports;
import io.vigil.agents.balancer.agent.BalancerSnapshot;
import io.vigil.agents.balancer.agent.RunningBalancers;
import io.vigil.cluster.daemon.LocalReport;
import java.util.List;

/** The balancers running in this vigild as a {@link LocalReport}: counters for status, local-status and /metrics. */
final class BalancerReport implements LocalReport {
  /** The key of the balancers in the {@code local-status} answer. */
  static final String NAME = "balancers";
  private final RunningBalancers running;

  BalancerReport(RunningBalancers running) {
    this.running = running;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JsonNode json() {
    var a = ClusterCli.JSON.createArrayNode();
    for (BalancerSnapshot s : running.snapshots()) {
      com.fasterxml.jackson.databind.node.ObjectNode n = ClusterCli.JSON.valueToTree(s);
      n.set("totals", ClusterCli.JSON.valueToTree(s.totals()));
      a.add(n);
    }
    return a;
  }

  /** The snapshots of a {@code local-status} answer (the totals are recomputed from the servers). */
  static List<BalancerSnapshot> parse(JsonNode localStatus) throws java.io.IOException {
    var reader = ClusterCli.JSON.readerFor(BalancerSnapshot.class)
        .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    List<BalancerSnapshot> out = new java.util.ArrayList<>();
    for (JsonNode n : localStatus.path(NAME)) out.add(reader.readValue(n));
    return out;
  }

  @Override
  public List<String> summary() {
    return running.snapshots().stream().map(BalancerReports::summary).toList();
  }

  @Override
  public String prometheus() {
    List<BalancerSnapshot> all = running.snapshots();
    return all.isEmpty() ? "" : BalancerReports.prometheus(all);
  }
}
