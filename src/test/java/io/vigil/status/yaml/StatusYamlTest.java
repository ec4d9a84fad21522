package io.vigil.status.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.status.ClusterStatus;
import io.vigil.status.FailCounts;
import io.vigil.status.NodeState;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusYamlTest {
  static final String GOOD = """
      quorum: true
      dc: alpha
      time: 2026-11-25T20:00:00Z
      nodes:
        - name: alpha
          attributes: {master-db: "10"}
          fail-counts:
            web: {count: 2, last-failure: 2026-11-25T19:00:00Z}
            db#monitor_10000: INFINITY
          history:
            - resource: web
              ops:
                - {op: monitor, interval: 0, rc: 7, call: 1}
                - {op: start, rc: 0, call: 2}
                - {op: monitor, interval: 10s, rc: 1, call: 3, at: 2026-11-25T19:00:00Z}
        - {name: beta, state: lost}
        - {name: gamma, state: shutting-down}
        - {name: delta, state: offline}
        - {name: epsilon, state: pending}
      """;

  @Test
  void readsNodesHistoryFailCountsAndTime() throws Exception {
    ClusterStatus s = StatusYaml.read(GOOD, "status.yaml");
    assertThat(s.quorum()).isTrue();
    assertThat(s.dc()).contains("alpha");
    assertThat(s.executionDate()).contains(Instant.parse("2026-11-25T20:00:00Z"));
    NodeStatus alpha = s.node("alpha").orElseThrow();
    assertThat(alpha.state(true)).isEqualTo(NodeState.ONLINE);
    assertThat(alpha.attributes()).containsEntry("master-db", "10");
    assertThat(FailCounts.of(alpha, "web")).singleElement()
        .satisfies(f -> assertThat(f.count()).isEqualTo(2))
        .satisfies(f -> assertThat(f.lastFailure()).contains(Instant.parse("2026-11-25T19:00:00Z")));
    assertThat(FailCounts.of(alpha, "db")).singleElement().satisfies(f -> assertThat(f.count()).isEqualTo(1_000_000));
    var ops = alpha.history("web").orElseThrow().ops();
    assertThat(ops).extracting(OpRecord::id).containsExactly("web_monitor_0", "web_start_0", "web_monitor_10000");
    assertThat(ops.get(2).opStatus()).as("a failing rc is an error result").isEqualTo(OpRecord.EXEC_ERROR);
    assertThat(ops.get(0).opStatus()).isEqualTo(OpRecord.EXEC_DONE);
    assertThat(s.node("beta").orElseThrow().state(true)).isEqualTo(NodeState.UNCLEAN);
    assertThat(s.node("beta").orElseThrow().state(false)).isEqualTo(NodeState.OFFLINE);
    assertThat(s.node("gamma").orElseThrow().state(true)).isEqualTo(NodeState.SHUTTING_DOWN);
    assertThat(s.node("delta").orElseThrow().state(true)).isEqualTo(NodeState.OFFLINE);
    assertThat(s.node("epsilon").orElseThrow().state(true)).isEqualTo(NodeState.PENDING);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "nodes: [{name: a, state: sleeping}] | status.yaml:1:26: node 'a': state 'sleeping' (expected one of online",
      "nodes: [{name: a, colour: red}] | status.yaml:1:19: node: unknown key 'colour'",
      "nodes: [{state: online}] | status.yaml:1:9: node has no 'name'",
      "quorum: maybe\\nnodes: [] | status.yaml:1:9: quorum 'maybe' is not true or false",
      "nodes: [{name: a}, {name: a}] | status.yaml:1:20: node 'a' is listed twice",
      "nodes: [{name: a, history: [{resource: w, ops: [{op: start, rc: x, call: 1}]}]}] | status.yaml:1:65: node 'a': resource 'w': op 1: rc 'x' is not an integer 0..255",
      "nodes: [{name: a, history: [{resource: w, ops: [{op: begin, rc: 0, call: 1}]}]}] | status.yaml:1:54: node 'a': resource 'w': op 1: op 'begin'",
      "nodes: [{name: a, history: [{resource: w, ops: [{op: start, rc: 0}]}]}] | status.yaml:1:49: node 'a': resource 'w': op 1 has no 'call'",
      "nodes: [{name: a, history: [{resource: w, ops: [{op: start, rc: 0, call: 1, at: noon}]}]}] | is not a time (expected ISO 8601",
      "nodes: [{name: a, fail-counts: {web: lots}}] | status.yaml:1:38: node 'a': fail count of 'web': 'lots' is not a count",
      "nodes: {name: a} | status.yaml:1:8: nodes must be a list",
      "time: [1] | status.yaml:1:7: time must be a single value",
      "nodes: [{name: a] | status.yaml:1:17: not valid YAML",
      "quorum: true | status.yaml:1:1: status has no 'nodes'",
  })
  void badInputNamesFileLineAndWhatWasExpected(String yaml, String want) {
    assertThatThrownBy(() -> StatusYaml.read(yaml.replace("\\n", "\n"), "status.yaml"))
        .isInstanceOf(StatusYamlException.class).hasMessageContaining(want);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> StatusYaml.read("nodes: [{name: a, state: x}, {name: b, extra: 1}]", "s.yaml"))
        .isInstanceOfSatisfying(StatusYamlException.class, e -> assertThat(e.problems()).hasSize(2));
  }

  @Test
  void aNodeOutsideTheConfigurationIsRefusedWhereItIsNamed() {
    assertThatThrownBy(() -> StatusYaml.read("nodes:\n  - name: zeta\n", "s.yaml", Optional.of(Set.of("alpha", "beta"))))
        .hasMessageContaining("s.yaml:2:11: node 'zeta' is not a node of the configuration (expected one of alpha, beta)");
  }

  @Test
  void theDocumentedExampleReads() throws Exception {
    String doc = Files.readString(Path.of("docs", "scheduler.md"));
    int from = doc.indexOf("<!-- status-example -->");
    assertThat(from).isPositive();
    String block = doc.substring(doc.indexOf("```yaml\n", from) + 8, doc.indexOf("```\n", doc.indexOf("```yaml\n", from) + 8));
    ClusterStatus s = StatusYaml.read(block, "docs/scheduler.md");
    assertThat(s.nodes()).isNotEmpty();
  }
}
