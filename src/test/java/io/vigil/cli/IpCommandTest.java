package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class IpCommandTest {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int vigilIp(String... args) {
    CommandLine cl = new CommandLine(new IpCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void badAddressIsRejectedWithTheReasonAndExitCode2() {
    int rc = vigilIp("add", "10.0.0.300/24", "--dev", "eth0");
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("'10.0.0.300/24' is not an IP address literal");
  }

  @Test
  void missingDeviceIsAUsageError() {
    assertThat(vigilIp("status", "10.0.0.5/24")).isEqualTo(2);
    assertThat(err.toString()).contains("--dev");
  }

  @Tag("slow")
  @Test
  void addStatusDelOnAVethInsideATestNamespace(@TempDir Path state) throws Exception {
    String ns = "vcli" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    try {
      sh("ip", "netns", "add", ns);
      sh("ip", "-n", ns, "link", "add", "va", "type", "veth", "peer", "name", "vb");
      sh("ip", "-n", ns, "link", "set", "va", "up");
      sh("ip", "-n", ns, "link", "set", "vb", "up");
      String[] common = {"--dev", "va", "--netns", ns, "--state-dir", state.toString(), "--count", "1"};
      assertThat(vigilIp(concat("status", "10.77.0.100/24", common))).isEqualTo(7);
      assertThat(vigilIp(concat("add", "10.77.0.100/24", common))).as(err.toString()).isZero();
      assertThat(out.toString()).contains("added 10.77.0.100/24 on va (netns " + ns + "), announced 1 time(s)");
      assertThat(vigilIp(concat("status", "10.77.0.100/24", common))).isZero();
      assertThat(vigilIp(concat("announce", "10.77.0.100/24", common))).isZero();
      assertThat(vigilIp(concat("del", "10.77.0.100/24", common))).isZero();
      assertThat(vigilIp(concat("status", "10.77.0.100/24", common))).isEqualTo(7);
    } finally {
      new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Tag("slow")
  @Test
  void moveBetweenTwoNamespacesOfThisHost(@TempDir Path state) throws Exception {
    String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    String a = "vmva" + suffix;
    String b = "vmvb" + suffix;
    try {
      sh("ip", "netns", "add", a);
      sh("ip", "netns", "add", b);
      sh("ip", "-n", a, "link", "add", "v0", "type", "veth", "peer", "name", "v0", "netns", b);
      sh("ip", "-n", a, "link", "set", "v0", "up");
      sh("ip", "-n", b, "link", "set", "v0", "up");
      String[] common = {"--dev", "v0", "--state-dir", state.toString(), "--count", "1"};
      assertThat(vigilIp(concat("add", "10.77.0.100/24", concat("--netns", a, common)))).as(err.toString()).isZero();
      int rc = vigilIp(concat("move", "10.77.0.100/24", concat("--from-netns", a, concat("--to-netns", b, common))));
      assertThat(rc).as(err.toString()).isZero();
      assertThat(out.toString()).contains("precheck: rc=0 only the current holder answers").contains("moved from " + a + " to " + b);
      assertThat(vigilIp(concat("status", "10.77.0.100/24", concat("--netns", a, common)))).isEqualTo(7);
      assertThat(vigilIp(concat("status", "10.77.0.100/24", concat("--netns", b, common)))).isZero();
    } finally {
      new ProcessBuilder("ip", "netns", "del", a).start().waitFor(10, TimeUnit.SECONDS);
      new ProcessBuilder("ip", "netns", "del", b).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static String[] concat(String sub, String addr, String[] rest) {
    List<String> l = new java.util.ArrayList<>(List.of(sub, addr));
    l.addAll(List.of(rest));
    return l.toArray(String[]::new);
  }

  static void sh(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String o = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + ": " + o);
    }
  }
}
