package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AgentRef;
import io.vigil.exec.Invocation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil agent ...} run in-process against the real installed agents. */
class AgentCommandTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int vigil(String... args) {
    CommandLine cl = new CommandLine(new AgentCommand());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @AfterEach
  void resetResolver() {
    AgentCommand.setResourceResolver((f, id, a) -> {
      throw new UnsupportedOperationException("not supported yet");
    });
  }

  @Test
  void testOfDummyPrintsAnAllPassTableAndExitsZero() {
    int rc = vigil("test", "ocf:heartbeat:Dummy");
    assertThat(rc).as(out.toString()).isZero();
    assertThat(out.toString()).contains("meta-data well-formed").contains("monitor when stopped again")
        .contains("9 checks: 9 passed, 0 failed").doesNotContain("FAIL");
    assertThat(out.toString()).containsPattern("as instance vigil-test-[0-9a-f]{8}");
  }

  @Test
  void testOfABrokenAgentExitsOneAndShowsItsOutput() throws Exception {
    Path agent = tmp.resolve("resource.d/vigiltest/broken");
    Files.createDirectories(agent.getParent());
    Files.writeString(agent, "#!/bin/sh\necho 'something is wrong' >&2\nexit 1\n");
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
    int rc = vigil("test", "--ocf-root", tmp.toString(), "ocf:vigiltest:broken");
    assertThat(rc).isEqualTo(1);
    assertThat(out.toString()).contains("FAIL").contains("| something is wrong").contains("0 passed");
  }

  @Test
  void testOfAnLsbScriptSkipsValidateAll() throws Exception {
    Path initd = tmp.resolve("init.d");
    Path script = initd.resolve("vigil-lsb");
    Files.createDirectories(initd);
    Path state = tmp.resolve("lsb.state");
    Files.writeString(script, "#!/bin/sh\ncase \"$1\" in\n start) touch " + state + ";;\n stop) rm -f " + state
        + ";;\n status) [ -f " + state + " ] || exit 3;;\n *) exit 3;;\nesac\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    int rc = vigil("test", "--lsb-root", initd.toString(), "lsb:vigil-lsb");
    assertThat(rc).as(out.toString()).isZero();
    assertThat(out.toString()).contains("8 checks: 8 passed, 0 failed").doesNotContain("validate-all");
  }

  @Test
  void runExitsWithTheAgentsRcAndPrintsItsMeaning() {
    String id = "vigil-cli-" + UUID.randomUUID().toString().substring(0, 8);
    int rc = vigil("run", "ocf:heartbeat:Dummy", "monitor", "--instance", id);
    assertThat(rc).isEqualTo(7);
    assertThat(out.toString()).contains("rc:       7 OCF_NOT_RUNNING (not running) [not running]")
        .contains("action:   monitor (instance " + id + ", timeout 20s)").contains("duration: ");
  }

  @Test
  void runWithEnvShowsWhatTheAgentGets() {
    Path state = tmp.resolve("d.state");
    int rc = vigil("run", "ocf:heartbeat:Dummy", "start", "--env", "-p", "state=" + state, "-m", "clone-max=2",
        "--timeout", "30s", "-i", "envtest");
    assertThat(rc).isZero();
    assertThat(state).exists();
    assertThat(out.toString()).contains("  OCF_RESKEY_state=" + state).contains("  OCF_RESKEY_CRM_meta_timeout=30000")
        .contains("  OCF_RESKEY_CRM_meta_clone_max=2").contains("  OCF_RESOURCE_INSTANCE=envtest");
    vigil("run", "ocf:heartbeat:Dummy", "stop", "-p", "state=" + state, "-i", "envtest");
    assertThat(state).doesNotExist();
  }

  @Test
  void runOfAMissingAgentExitsFiveAndSaysWhereItLooked() {
    int rc = vigil("run", "ocf:heartbeat:NoSuchThing", "start");
    assertThat(rc).isEqualTo(5);
    assertThat(out.toString()).contains("agent not installed: looked for /usr/lib/ocf/resource.d/heartbeat/NoSuchThing");
  }

  @Test
  void badAgentSpecificationIsAUsageError() {
    int rc = vigil("run", "Dummy", "start");
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("agent 'Dummy' has no class: expected e.g. ocf:heartbeat:Dummy");
  }

  @Test
  void resourceFromConfigurationUsesTheInstalledResolver() {
    vigil("run", "web", "monitor", "-f", "cluster.yaml");
    assertThat(err.toString()).contains("not supported yet");
    Path state = tmp.resolve("web.state");
    AgentCommand.setResourceResolver((file, id, action) -> Invocation.of(AgentRef.parse("ocf:heartbeat:Dummy"), id,
        action, Map.of("state", state.toString()), Duration.ofSeconds(20)));
    out.getBuffer().setLength(0);
    int rc = vigil("run", "web", "monitor", "-f", "cluster.yaml");
    assertThat(rc).isEqualTo(7);
    assertThat(out.toString()).contains("instance web");
  }

  @Test
  void infoShowsParametersAndActions() {
    assertThat(vigil("info", "ocf:heartbeat:Dummy")).isZero();
    assertThat(out.toString()).startsWith("ocf:heartbeat:Dummy - ").contains("Parameters (* = required):")
        .contains("  state ").contains("Actions:").contains("  monitor        timeout 20s interval 10s");
  }

  @Test
  void infoXmlPrintsTheRawMetaData() {
    assertThat(vigil("info", "--xml", "ocf:pacemaker:Stateful")).isZero();
    assertThat(out.toString()).startsWith("<?xml").contains("<resource-agent name=\"Stateful\"");
  }

  @Test
  void listShowsInstalledAgentsPerStandard() {
    assertThat(vigil("list", "ocf")).isZero();
    assertThat(out.toString().lines()).contains("ocf:heartbeat:Dummy", "ocf:heartbeat:IPaddr2", "ocf:pacemaker:Stateful")
        .allMatch(l -> l.startsWith("ocf:"));
    out.getBuffer().setLength(0);
    assertThat(vigil("list", "builtin")).isZero();
    assertThat(out.toString().lines()).containsExactly("builtin:balancer", "builtin:dummy", "builtin:ip", "builtin:nbd", "builtin:provider-ip", "builtin:volume");
    assertThat(vigil("list", "stonith")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown agent class 'stonith': expected one of ocf, lsb, systemd, builtin");
  }
}
