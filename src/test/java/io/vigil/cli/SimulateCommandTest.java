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
}
