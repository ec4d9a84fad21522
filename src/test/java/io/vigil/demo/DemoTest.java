package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo for real: three vigild processes, the real anything agent and fence device, the
 * client's probes. Checks the failover's order of events and that nothing ran twice, then that
 * --stop leaves nothing behind.
 */
@Tag("slow")
class DemoTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path tmp;
  private Path base;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @AfterEach
  void tearDown() throws Exception {
    if (base != null) {
      // a test that did not finish: keep the daemons' logs for the report, then tear down
      keepLogs(base);
      Demo.stop(base, new PrintStream(java.io.OutputStream.nullOutputStream()));
    }
    System.out.println(output);
  }

  /** Copies the demo's logs to target/demo-logs/ (CI keeps target/ of a failed run). */
  static void keepLogs(Path base) {
    try (var logs = java.nio.file.Files.newDirectoryStream(base, "*.log")) {
      Path to = Path.of("target", "demo-logs", System.currentTimeMillis() + "-" + base.getFileName());
      java.nio.file.Files.createDirectories(to);
      for (Path l : logs) java.nio.file.Files.copy(l, to.resolve(l.getFileName()));
      System.out.println("demo logs kept in " + to.toAbsolutePath());
    } catch (java.io.IOException e) {
      System.out.println("demo logs not kept: " + e);
    }
  }

  private FailoverTimeline run(String mode, Demo.Fault fault, String prefix) throws Exception {
    return run(mode, fault, prefix, true);
  }

  private FailoverTimeline run(String mode, Demo.Fault fault, String prefix, boolean fencing) throws Exception {
    return run(mode, fault, prefix, fencing, 3);
  }

  private FailoverTimeline run(String mode, Demo.Fault fault, String prefix, boolean fencing, int nodes) throws Exception {
    return run(mode, fault, prefix, fencing, nodes, false);
  }

  private FailoverTimeline run(String mode, Demo.Fault fault, String prefix, boolean fencing, int nodes, boolean witness)
      throws Exception {
    // the service runs as an unprivileged account: it must reach the directory (JUnit's is 0700)
    java.nio.file.Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    base = tmp.resolve("demo-" + mode);
    var opt = new Demo.Options(base, nodes, mode, fault, false, true, prefix, fencing, witness);
    PrintStream out = new PrintStream(output, true);
    return new Demo(opt, Launcher.current(io.vigil.cli.Main.class.getName()), out, dir -> out.println("(status of " + dir + ")")).run();
  }

  private static boolean namespacesWork() {
    return NetnsLab.available(new Commands());
  }

  @Test
  void powerLossInNamespacesIsDetectedFencedAndRecoveredWithoutDualActive() throws Exception {
    assumeThat(namespacesWork()).as("network namespaces (root)").isTrue();
    String prefix = "vdt" + ProcessHandle.current().pid() % 10_000;
    boolean userBefore = DemoUser.exists(new Commands());
    FailoverTimeline t = run("netns", Demo.Fault.POWER, prefix);
    // the service runs unprivileged, as the demo's own account
    assertThat(new Commands().tryRun("pgrep", "-u", DemoUser.NAME, "-f", base + "/demo-service.py")).isTrue();
    assertThat(t.newNode()).isNotEmpty().isNotEqualTo(t.victim());
    assertThat(t.detectedMs()).isPositive();
    assertThat(t.fencedMs()).isGreaterThanOrEqualTo(t.detectedMs());
    assertThat(t.recoveredMs()).isGreaterThan(t.fencedMs());
    // The service may answer before its start's result is committed (by as much as a commit takes
    // on a loaded machine), but never before the lost node was fenced: it starts only after that.
    assertThat(t.totalMs()).isGreaterThan(t.fencedMs());
    assertThat(t.dualActiveMs()).isZero();
    String printed = output.toString();
    assertThat(printed).contains("POWER LOSS of " + t.victim()).contains("\"dual_active_ms\":0");
    Demo.stop(base, new PrintStream(output, true));
    assertThat(new Commands().run("ip", "netns", "list")).doesNotContain(prefix + "-");
    assertThat(base).doesNotExist();
    if (!userBefore && !new Commands().tryRun("pgrep", "-u", DemoUser.NAME)) assertThat(DemoUser.exists(new Commands())).isFalse();
    base = null;
  }

  @Test
  void fiveNodesRecoverFromAPowerLossToo() throws Exception {
    assumeThat(namespacesWork()).as("network namespaces (root)").isTrue();
    FailoverTimeline t = run("netns", Demo.Fault.POWER, "vdf" + ProcessHandle.current().pid() % 10_000, true, 5);
    assertThat(output.toString()).contains("5 nodes agree");
    assertThat(t.newNode()).isNotEmpty().isNotEqualTo(t.victim());
    assertThat(t.fencedMs()).isPositive();
    assertThat(t.recoveredMs()).isGreaterThan(t.fencedMs());
    assertThat(t.dualActiveMs()).isZero();
  }

  @Test
  void twoWorkersAndAWitnessFailOverToTheOtherWorkerNeverToTheWitness() throws Exception {
    assumeThat(namespacesWork()).as("network namespaces (root)").isTrue();
    FailoverTimeline t = run("netns", Demo.Fault.POWER, "vdw" + ProcessHandle.current().pid() % 10_000, true, 3, true);
    assertThat(t.victim()).isNotEqualTo("gamma");
    assertThat(t.newNode()).isNotEmpty().isNotEqualTo(t.victim()).isNotEqualTo("gamma");
    assertThat(t.fencedMs()).isGreaterThanOrEqualTo(t.detectedMs());
    assertThat(t.dualActiveMs()).isZero();
  }

  @Test
  void aKilledDaemonsServiceIsStoppedByFencingBeforeItStartsElsewhere() throws Exception {
    assumeThat(namespacesWork()).as("network namespaces (root)").isTrue();
    FailoverTimeline t = run("netns", Demo.Fault.DAEMON, "vdu" + ProcessHandle.current().pid() % 10_000);
    assertThat(t.fencedMs()).isPositive();
    assertThat(t.recoveredMs()).isGreaterThan(t.fencedMs());
    assertThat(t.dualActiveMs()).isZero();
  }

  @Test
  void withoutFencingAPartitionedNodeStopsItsServiceBeforeTheMajorityStartsIt() throws Exception {
    assumeThat(namespacesWork()).as("network namespaces (root)").isTrue();
    FailoverTimeline t = run("netns", Demo.Fault.PARTITION, "vdp" + ProcessHandle.current().pid() % 10_000, false);
    assertThat(t.fencedMs()).isEqualTo(-1);
    assertThat(t.newNode()).isNotEmpty().isNotEqualTo(t.victim());
    assertThat(t.recoveredMs()).isGreaterThan(t.detectedMs() + 5000); // the lease
    assertThat(t.dualActiveMs()).isZero(); // sampled through the partition, the recovery and the rejoin
    assertThat(output.toString()).contains("partition healed: " + t.victim() + " is back online");
  }

  @Test
  void onLoopbackTheLostNodesLeaseIsWaitedForInsteadOfFencing() throws Exception {
    FailoverTimeline t = run("loopback", Demo.Fault.POWER, "vdemo");
    assertThat(t.fencedMs()).isEqualTo(-1);
    assertThat(t.recoveredMs()).isGreaterThan(t.detectedMs() + 5000); // the lease: 5.25 s after the loss
    assertThat(t.dualActiveMs()).isZero();
    List<Long> daemons = List.copyOf(DemoState.load(base.resolve("demo.json")).orElseThrow().daemons().values());
    Demo.stop(base, new PrintStream(output, true));
    assertThat(daemons).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertThat(Files.exists(base)).isFalse();
    base = null;
  }
}
