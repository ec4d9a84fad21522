package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
  static final String CIB = """
      <cib have-quorum="1" execution-date="1700000000">
        <configuration>
          <crm_config><cluster_property_set id="o">
            <nvpair id="f" name="stonith-enabled" value="false"/>
          </cluster_property_set></crm_config>
          <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
          <resources>
            <primitive id="web" class="ocf" provider="pacemaker" type="Dummy">
              <operations><op id="w-m" name="monitor" interval="10s"/></operations>
            </primitive>
          </resources>
          <constraints/>
        </configuration>
        <status>
          <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
            <lrm id="1"><lrm_resources>
              <lrm_resource id="web" class="ocf" provider="pacemaker" type="Dummy">
                <lrm_rsc_op id="web_last_0" operation="start" interval="0" rc-code="0" op-status="0" call-id="3"
                    transition-key="1:1:0:x"/>
              </lrm_resource>
            </lrm_resources></lrm>
          </node_state>
          <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"/>
        </status>
      </cib>
      """;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new SimulateCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void printsCurrentStatusSummaryAndRevisedStatusForACib(@TempDir Path dir) throws Exception {
    Path cib = Files.writeString(dir.resolve("cib.xml"), CIB);
    Run r = run("--cib", cib.toString(), "--node-fail", "n1");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Current cluster status:", "Transition Summary:", "Revised Cluster Status:")
        .as("without fencing a failed node is simply offline and its history is not trusted")
        .contains("OFFLINE: [ n1 ]").contains("Start      web ( n2 )");
  }

  @Test
  void opFailEventRecoversInPlace(@TempDir Path dir) throws Exception {
    Path cib = Files.writeString(dir.resolve("cib.xml"), CIB);
    Run r = run("--cib", cib.toString(), "--op-fail", "web_monitor_10000@n1=1");
    assertThat(r.out()).contains("FAILED n1").contains("Recover    web ( n1 )");
  }

  @Test
  void batchWritesOneSummaryPerCaseAndRecordsErrorsWithoutStopping(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("good.xml"), CIB);
    Files.writeString(in.resolve("bad.xml"), "<cib><configuration>");
    Path out = dir.resolve("out");
    Run r = run("--cib-dir", in.toString(), "--out-dir", out.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("2 case(s)", "1 ok, 1 failed");
    assertThat(Files.readString(out.resolve("good.summary"))).contains("Revised Cluster Status:");
    assertThat(Files.readString(out.resolve("bad.summary"))).startsWith("Error:").contains("bad.xml");
  }

  @Test
  void badInputIsAOneLineErrorNotAStackTrace(@TempDir Path dir) throws Exception {
    Path cib = Files.writeString(dir.resolve("cib.xml"), CIB);
    Run r = run("--cib", cib.toString(), "--set-time", "tomorrow");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("simulate: ").contains("tomorrow").doesNotContain("\tat ");
    Run missing = run("--cib", dir.resolve("nope.xml").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("nope.xml").doesNotContain("\tat ");
  }

  @Test
  void scoresShowEveryResourceOnEveryNode(@TempDir Path dir) throws Exception {
    Path cib = Files.writeString(dir.resolve("cib.xml"), CIB);
    Run r = run("--cib", cib.toString(), "--scores", "--standby", "n2");
    assertThat(r.out()).contains("Allocation scores:", "web allocation score on n1: 0",
        "web allocation score on n2: -INFINITY");
  }

  @Test
  void jsonListsPlacementsAndActions(@TempDir Path dir) throws Exception {
    Path cib = Files.writeString(dir.resolve("cib.xml"), CIB);
    Run r = run("--cib", cib.toString(), "--json", "--standby", "n1");
    assertThat(r.out()).contains("\"instance\" : \"web\"", "\"target\" : \"n2\"", "web_start_0 on n2");
  }

  static final String CLUSTER_YAML = """
      cluster: t
      properties: {fencing-enabled: true}
      nodes:
        - {name: n1, id: "1"}
        - {name: n2, id: "2"}
      resources:
        - primitive: fence
          agent: stonith:fence_xvm
        - primitive: web
          agent: ocf:pacemaker:Dummy
          operations:
            - {name: monitor, interval: 10s}
      """;

  static final String STATUS_YAML = """
      time: 2026-11-25T20:00:00Z
      nodes:
        - name: n1
          state: lost
          history:
            - resource: web
              ops:
                - {op: start, rc: 0, call: 2}
        - name: n2
          history:
            - resource: fence
              ops:
                - {op: start, rc: 0, call: 1}
      """;

  @Test
  void simulatesAClusterYamlWithAStatusYamlAndWritesTheGraph(@TempDir Path dir) throws Exception {
    Path c = Files.writeString(dir.resolve("cluster.yaml"), CLUSTER_YAML);
    Path s = Files.writeString(dir.resolve("status.yaml"), STATUS_YAML);
    Path dot = dir.resolve("out.dot");
    Run r = run("-f", c.toString(), "--status", s.toString(), "--graph", dot.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Node n1: UNCLEAN (offline)", "Fence (reboot) n1", "Move       web ( n1 -> n2 )");
    assertThat(Files.readString(dot)).startsWith(" digraph \"g\" {")
        .contains("\"stonith 'reboot' n1\" -> \"web_start_0 n2\" [ style = bold]");
  }

  @Test
  void withoutAStatusEveryConfiguredNodeIsOnlineAndEmpty(@TempDir Path dir) throws Exception {
    Path c = Files.writeString(dir.resolve("cluster.yaml"), CLUSTER_YAML);
    Run r = run("-f", c.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Online: [ n1 n2 ]", "Start      web");
  }

  @Test
  void aBadStatusFileIsRefusedWithFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path c = Files.writeString(dir.resolve("cluster.yaml"), CLUSTER_YAML);
    Path s = Files.writeString(dir.resolve("status.yaml"), "nodes:\n  - name: n3\n  - {name: n1, state: asleep}\n");
    Run r = run("-f", c.toString(), "--status", s.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(s + ":2:11: node 'n3' is not a node of the configuration")
        .contains(s + ":3:23: node 'n1': state 'asleep'").doesNotContain("\tat ");
    Path badConfig = Files.writeString(dir.resolve("bad.yaml"), "cluster: t\nnodes: 3\n");
    assertThat(run("-f", badConfig.toString()).err()).contains(badConfig + ":2:");
    assertThat(run("--status", s.toString(), "--cib", c.toString()).code()).isEqualTo(2);
  }
}
