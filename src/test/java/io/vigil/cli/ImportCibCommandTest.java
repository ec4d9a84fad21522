package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCibCommandTest {
  private static final String CIB = """
      <cib><configuration>
        <crm_config><cluster_property_set id="cib-bootstrap-options">
          <nvpair id="p1" name="cluster-name" value="shop"/><nvpair id="p2" name="stonith-enabled" value="false"/>
        </cluster_property_set></crm_config>
        <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
        <resources>
          <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
            <instance_attributes id="ia"><nvpair id="ia1" name="ip" value="10.0.0.5"/></instance_attributes>
            <operations><op id="ip-mon" name="monitor" interval="10s" timeout="20s"/></operations>
          </primitive>
          <primitive id="web" class="systemd" type="nginx"/>
        </resources>
        <constraints>
          <rsc_colocation id="web-with-ip" rsc="web" with-rsc="ip" score="INFINITY"/>
          <rsc_order id="ip-then-web" first="ip" then="web"/>
          <rsc_ticket id="t1" rsc="web" ticket="site-a" loss-policy="stop"/>
        </constraints>
      </configuration><status/></cib>""";

  private record Run(int exit, String out, String err) {}

  /** Runs {@code vigil import-cib ARGS} in-process, as Main wires it. */
  private static Run run(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "import-cib";
    System.arraycopy(args, 0, full, 1, args.length);
    return run(Main.commandLine(), full);
  }

  private static Run run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void printsValidYamlOnStdoutAndNotesOnStderr(@TempDir Path dir) throws Exception {
    Path cib = dir.resolve("cib.xml");
    Files.writeString(cib, CIB);
    Run r = run(cib.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("import-cib: skipped constraints/rsc_ticket 't1': tickets are not supported\n")
        .contains("2 nodes, 2 resources, 2 constraints, 0 fencing levels imported; 1 skipped, 0 adjusted");
    ConfigLoader.Result loaded = new ConfigLoader(AgentCatalog.NONE).check(r.out(), "cluster.yaml");
    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.config().orElseThrow().name()).isEqualTo("shop");
    assertThat(loaded.config().orElseThrow().constraints()).hasSize(2);
  }

  @Test
  void writesTheOutputFileWhenAsked(@TempDir Path dir) throws Exception {
    Path cib = dir.resolve("cib.xml");
    Files.writeString(cib, CIB);
    Path yaml = dir.resolve("cluster.yaml");
    Run r = run(cib.toString(), "-o", yaml.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(new ConfigLoader(AgentCatalog.NONE).check(yaml).valid()).isTrue();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("cib.xml", "cluster.yaml");
    }
  }

  @Test
  void refusedFileExitsOneWithALocatedMessageAndNoOutput(@TempDir Path dir) throws Exception {
    Path cib = dir.resolve("cib.xml");
    Files.writeString(cib, "<cib>\n<configuration>\n<nodes>\n");
    Path yaml = dir.resolve("cluster.yaml");
    Run r = run(cib.toString(), "-o", yaml.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("import-cib: " + cib + ":4:1: ").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(yaml).doesNotExist();
  }

  @Test
  void readsStandardInputForDash() {
    ImportCibCommand command = new ImportCibCommand();
    command.stdin = new ByteArrayInputStream(CIB.getBytes(StandardCharsets.UTF_8));
    Run r = run(new CommandLine(command), "-");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("# Imported from standard input by vigil import-cib; 1 element(s) skipped or adjusted")
        .contains("cluster: shop");
  }
}
