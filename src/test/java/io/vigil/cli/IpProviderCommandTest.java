package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.providerip.FakeRobot;
import io.vigil.agents.providerip.FakeTime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The seed's "get current values, change active server" against the local Robot API server. */
class IpProviderCommandTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  FakeRobot robot;

  @BeforeEach
  void setUp() throws Exception {
    robot = new FakeRobot(new FakeTime(), "ws-user", "s3cret");
    robot.addFailover("203.0.113.60", "198.51.100.20", "198.51.100.20");
    robot.addServer("198.51.100.10");
  }

  @AfterEach
  void tearDown() {
    robot.close();
  }

  int vigil(String credentials, String... args) throws Exception {
    Path f = dir.resolve("cred");
    Files.writeString(f, credentials + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    String[] all = new String[args.length + 10];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--address", "203.0.113.60", "--self", "198.51.100.10", "--credentials-file",
        f.toString(), "--api-url", robot.base().toString(), "-p", "state-dir=" + dir.resolve("state")}, 0, all,
        args.length, 10);
    CommandLine cl = new CommandLine(new IpProviderCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(all);
  }

  @Test
  void statusThenRouteThenStatus() throws Exception {
    assertThat(vigil("ws-user:s3cret", "status")).isEqualTo(7);
    assertThat(out.toString()).contains("routes 203.0.113.60 to 198.51.100.20, not to 198.51.100.10");
    assertThat(vigil("ws-user:s3cret", "route")).as(err.toString()).isZero();
    assertThat(robot.activeOf("203.0.113.60")).isEqualTo("198.51.100.10");
    assertThat(vigil("ws-user:s3cret", "status")).isZero();
  }

  @Test
  void wrongPasswordExitsWithPermissionErrorAfterOneTry() throws Exception {
    assertThat(vigil("ws-user:nope-nope", "route")).isEqualTo(4);
    assertThat(err.toString()).contains("401 UNAUTHORIZED").doesNotContain("nope-nope");
    assertThat(robot.failedLogins()).isEqualTo(1);
  }
}
