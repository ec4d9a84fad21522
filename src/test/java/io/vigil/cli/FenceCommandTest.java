package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The fence commands in-process against real scripts and Debian's fence_dummy. */
class FenceCommandTest {
  private static final String SECRET = "pdu-Secret-7731";
  @TempDir Path dir;
  private Path yaml;
  private Path power;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void cluster() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/fence_dummy")), "fence-agents is not installed");
    Path pdu = dir.resolve("broken-pdu");
    Files.writeString(pdu, "#!/bin/sh\nin=$(cat)\necho \"$in\"\necho \"login failed for $in\" >&2\nexit 1\n");
    Files.setPosixFilePermissions(pdu, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path secret = dir.resolve("pdu-pass");
    Files.writeString(secret, SECRET + "\n");
    power = dir.resolve("power");
    Files.writeString(power, "on");
    yaml = write("""
        cluster: lab
        nodes:
          - name: alpha
          - name: beta
        resources:
          - primitive: pdu
            agent: stonith:script
            params: {path: %s, pcmk_host_list: beta, pcmk_retries: "0"}
            secret-params: {passwd: %s}
          - primitive: dummy
            agent: stonith:fence_dummy
            params: {status_file: %s, pcmk_host_list: "alpha beta"}
        fencing:
          levels:
            - {node: beta, index: 1, devices: [pdu]}
            - {node: beta, index: 2, devices: [dummy]}
        """.formatted(pdu, secret, power));
  }

  private Path write(String text) throws Exception {
    Path p = dir.resolve("cluster-" + System.nanoTime() + ".yaml");
    Files.writeString(p, text);
    return p;
  }

  private int run(String... args) {
    CommandLine cl = new CommandLine(new FenceCommand());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void fenceRunsTheLevelsInOrderAndSucceedsOnTheSecond() throws Exception {
    int rc = run("beta", "-f", yaml.toString(), "--off", "--reason", "disk hung", "--timeout", "40s");
    assertThat(rc).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("fencing beta (off) through 2 level(s): 1=pdu; 2=dummy")
        .containsPattern("level 1  pdu +off .*failed rc=1")
        .containsPattern("level 2  dummy +off .*success")
        .contains("fenced: off of 'beta' succeeded at level 2 (dummy)");
    assertThat(Files.readString(power)).isEqualTo("off");
    assertThat(out.toString() + err).doesNotContain(SECRET).contains("******");
  }

  @Test
  void everyLevelFailingExitsOne() throws Exception {
    Path y = write(Files.readString(yaml).replace("- {node: beta, index: 2, devices: [dummy]}", ""));
    assertThat(run("beta", "-f", y.toString(), "--off")).isEqualTo(1);
    assertThat(out.toString()).contains("FAILED: every level failed");
    assertThat(Files.readString(power)).isEqualTo("on");
    assertThat(out.toString() + err).doesNotContain(SECRET);
  }

  @Test
  void testRunsMonitorAndStatusWithoutFencing() throws Exception {
    assertThat(run("test", "dummy", "-f", yaml.toString())).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("monitor").contains("status alpha").contains("(power on)")
        .contains("ok (nothing was fenced)");
    assertThat(Files.readString(power)).isEqualTo("on");
    assertThat(run("test", "pdu", "-f", yaml.toString())).isEqualTo(1);
    assertThat(out.toString() + err).doesNotContain(SECRET);
  }

  @Test
  void listDevicesShowsTargetsLevelsAndCoverage() {
    assertThat(run("list-devices", "-f", yaml.toString())).as(out + "\n" + err).isZero();
    assertThat(out.toString()).containsPattern("pdu +stonith:script +static-list +beta")
        .containsPattern("dummy +stonith:fence_dummy +static-list +alpha,beta")
        .contains("node beta           levels: 1=pdu; 2=dummy")
        .contains("node alpha          levels: 1=dummy");
  }

  @Test
  void listDevicesReportsANodeThatCannotBeFenced() throws Exception {
    Path y = write(Files.readString(yaml).replace("pcmk_host_list: \"alpha beta\"", "pcmk_host_list: beta"));
    assertThat(run("list-devices", "-f", y.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("error: node 'alpha' cannot be fenced by any device");
  }

  @Test
  void listDevicesValidateChecksParametersAgainstTheAgentsMetadata() throws Exception {
    assertThat(run("list-devices", "-f", yaml.toString(), "--validate")).as(out + "\n" + err).isEqualTo(1);
    assertThat(out.toString()).contains("valid: dummy")
        .contains("invalid: fence device 'pdu': validate-all: failed rc=1: validate-all failed with exit code 1");
    Path y = write(Files.readString(yaml).replace("status_file:", "status_fiel:"));
    assertThat(run("list-devices", "-f", y.toString(), "--validate")).isEqualTo(1);
    assertThat(out.toString()).contains("invalid: fence device 'dummy' (fence_dummy): unknown parameter 'status_fiel' "
        + "(did you mean 'status_file'?)");
    assertThat(out.toString() + err).doesNotContain(SECRET);
  }

  @Test
  void unknownNodeOrDeviceIsBadInput() {
    assertThat(run("gamma", "-f", yaml.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("node 'gamma' is not in cluster 'lab' (nodes: alpha, beta)");
    assertThat(run("test", "ipmi", "-f", yaml.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no fence device 'ipmi' in cluster 'lab' (devices: pdu, dummy)");
  }

  @Test
  void invalidConfigurationIsReportedWithItsLocation() throws Exception {
    Path y = write(Files.readString(yaml).replace("devices: [dummy]", "devices: [dumy]"));
    assertThat(run("beta", "-f", y.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("unknown device 'dumy'").contains(y.toString() + ":");
  }
}
