package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BalancerCommandTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cl = new CommandLine(new BalancerCommand());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void ipvsPrintsTheExactCommands() throws Exception {
    Path f = dir.resolve("mail.yaml");
    Files.writeString(f, """
        name: mail
        listen: 10.0.0.5:25
        mode: ipvs
        scheduler: lblc
        persistence: {timeout: 300s}
        real-servers: [{address: 10.0.1.5:25, forwarding: dr}]
        """);
    assertThat(run("ipvs", "-f", f.toString())).isZero();
    assertThat(out.toString()).isEqualTo("""
        ipvsadm -A -t 10.0.0.5:25 -s lblc -p 300
        ipvsadm -a -t 10.0.0.5:25 -r 10.0.1.5:25 -g -w 1
        """);
  }

  @Test
  void badFileGivesOneClearLineAndExitCode2() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "name: web\nlisten: 10.0.0.5:80\nreal-servers: []\n");
    assertThat(run("check", "-f", f.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("bad.yaml:3:15: real-servers: expected at least one real server");
  }

  @Test
  void runServesForABoundedTimeAndPrintsCounters() throws Exception {
    Path f = dir.resolve("web.yaml");
    Files.writeString(f, """
        name: web
        listen: 127.0.0.1:0
        real-servers: [{address: 127.0.0.1:9}]
        """);
    assertThat(run("run", "-f", f.toString(), "--for", "300ms", "--stats-every", "0")).isZero();
    assertThat(out.toString()).contains("listening on /127.0.0.1:").contains("127.0.0.1:9").contains("BYTES OUT");
  }

  @Test
  void keysListsDefaults() {
    assertThat(run("keys")).isZero();
    assertThat(out.toString()).contains("scheduler").contains("wlc").contains("check.fall");
  }
}
