package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.exec.AgentExecutor;
import io.vigil.exec.BuiltinRegistry;
import io.vigil.exec.ExecConfig;
import io.vigil.exec.ExecResult;
import io.vigil.exec.Invocation;
import io.vigil.exec.ProcTable;
import io.vigil.exec.ResourceCgroups;
import io.vigil.fencing.watchdog.SelfFencer;
import io.vigil.fencing.watchdog.SupervisorWatchdog;
import io.vigil.model.AgentRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's seam to the supervisor with the real ocf:heartbeat:anything agent: the service it starts in
 * the background stays in the start action's process group, which is registered, killed by the supervisor
 * when the daemon goes away, and released by a stop.
 */
@Tag("slow")
class SupervisedResourcesTest {
  @TempDir Path tmp;
  private final AgentRef anything = AgentRef.parse("ocf:heartbeat:anything");
  private Long servicePid;
  private SelfFencer fencer;

  private ResourceCgroups cgroups;

  @AfterEach
  void cleanUp() throws Exception {
    if (fencer != null) fencer.close();
    if (servicePid != null) ProcessHandle.of(servicePid).ifPresent(ProcessHandle::destroyForcibly);
    if (cgroups != null) {
      await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
        cgroups.removeEmpty();
        return !Files.exists(cgroups.base());
      });
    }
    Path pid = tmp.resolve("supervisor/supervisor.pid");
    if (Files.exists(pid)) ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
  }

  private AgentExecutor executor() {
    SupervisorWatchdog[] wd = new SupervisorWatchdog[1];
    fencer = new SelfFencer(() -> wd[0] = SupervisorWatchdog.start(tmp.resolve("supervisor"), Duration.ofSeconds(3)),
        Duration.ofSeconds(3));
    feed();
    return AgentExecutor.system(ExecConfig.defaults(), new BuiltinRegistry()).withObserver(new SupervisedResources(fencer));
  }

  /** What a quorate daemon's feeding thread does (it feeds every timeout / 3). */
  private void feed() {
    Instant now = Instant.now();
    fencer.poll(true, Optional.of(now.plusSeconds(5)), now);
  }

  private ExecResult run(AgentExecutor ex, String action) {
    feed();
    Map<String, String> params = Map.of("binfile", "/bin/sleep", "cmdline_options", "600",
        "pidfile", tmp.resolve("svc.pid").toString(), "logfile", tmp.resolve("svc.log").toString());
    return ex.run(Invocation.of(anything, "svc", action, params, Duration.ofSeconds(20)));
  }

  private long startService(AgentExecutor ex) throws Exception {
    ExecResult start = run(ex, "start");
    assertThat(start.rc()).as(start.output()).isZero();
    servicePid = Long.parseLong(Files.readString(tmp.resolve("svc.pid")).strip());
    return servicePid;
  }

  @Test
  void theBackgroundServiceOfAnythingIsInTheRegisteredGroupAndDiesWhenTheDaemonGoesAway() throws Exception {
    AgentExecutor ex = executor();
    long pid = startService(ex);
    long pgid = ProcTable.read(pid).orElseThrow().pgid();
    assertThat(Files.readAllLines(tmp.resolve("supervisor/pgroups"))).containsExactly(Long.toString(pgid));
    assertThat(fencer.protectedResources()).containsOnlyKeys("svc");
    fencer.close(); // the daemon stops with the service still registered: the watchdog is left to act
    fencer = null;
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcTable.read(pid).map(ProcTable.Proc::zombie).orElse(true));
    assertThat(Files.readString(tmp.resolve("supervisor/supervisor.log"))).contains("killed process group " + pgid);
  }

  /**
   * An agent whose service leaves the action's process group and session ({@code setsid -f}, as a
   * classic double-forking daemon): only the resource's cgroup still holds it.
   */
  @Test
  void aServiceThatCallsSetsidItselfStaysInTheResourcesCgroupAndDiesWhenTheDaemonGoesAway() throws Exception {
    cgroups = ResourceCgroups.create("test-" + Long.toHexString(System.nanoTime())).orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(cgroups != null, "no writable cgroup v2 hierarchy here");
    Path agent = tmp.resolve("ocf/resource.d/vigiltest/setsid-daemon");
    Files.createDirectories(agent.getParent());
    Files.writeString(agent, """
        #!/bin/sh
        # a daemon that leaves the agent's process group and session, as double-forking daemons do
        case "$1" in
          start) setsid -f /bin/sh -c 'echo $$ > "$0"; exec sleep 600' "$OCF_RESKEY_pidfile" </dev/null >/dev/null 2>&1
                 i=0; while [ ! -s "$OCF_RESKEY_pidfile" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; exit 0 ;;
          stop) [ -s "$OCF_RESKEY_pidfile" ] && kill "$(cat "$OCF_RESKEY_pidfile")" 2>/dev/null; rm -f "$OCF_RESKEY_pidfile"; exit 0 ;;
          monitor) [ -s "$OCF_RESKEY_pidfile" ] && kill -0 "$(cat "$OCF_RESKEY_pidfile")" 2>/dev/null && exit 0; exit 7 ;;
          *) exit 3 ;;
        esac
        """);
    Files.setPosixFilePermissions(agent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    SupervisorWatchdog[] wd = new SupervisorWatchdog[1];
    fencer = new SelfFencer(() -> wd[0] = SupervisorWatchdog.start(tmp.resolve("supervisor"), Duration.ofSeconds(3)),
        Duration.ofSeconds(3));
    feed();
    AgentExecutor ex = AgentExecutor.system(ExecConfig.defaults().withOcfRoot(tmp.resolve("ocf")), new BuiltinRegistry())
        .withObserver(new SupervisedResources(fencer)).withCgroups(cgroups);
    Path pidFile = tmp.resolve("daemon.pid");
    ExecResult start = ex.run(Invocation.of(AgentRef.parse("ocf:vigiltest:setsid-daemon"), "svc", "start",
        Map.of("pidfile", pidFile.toString()), Duration.ofSeconds(20)));
    assertThat(start.rc()).as(start.output()).isZero();
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    servicePid = pid;
    Path cgroup = cgroups.forResource("svc");
    assertThat(ResourceCgroups.pids(cgroup)).as("the daemon is in the resource's cgroup").contains(pid);
    assertThat(ProcTable.read(pid).orElseThrow().sid()).as("and in a session of its own").isEqualTo(pid);
    assertThat(Files.readAllLines(tmp.resolve("supervisor/cgroups"))).containsExactly(cgroup.toString());

    fencer.close(); // the daemon stops with the service still registered: the watchdog is left to act
    fencer = null;
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcTable.read(pid).map(ProcTable.Proc::zombie).orElse(true));
    assertThat(Files.readString(tmp.resolve("supervisor/supervisor.log"))).contains("killed cgroup " + cgroup);
  }

  @Test
  void aStoppedServiceIsReleasedAndAnOrderlyShutdownDisarms() throws Exception {
    AgentExecutor ex = executor();
    startService(ex);
    assertThat(run(ex, "stop").rc()).isZero();
    assertThat(Files.readString(tmp.resolve("supervisor/pgroups"))).isEmpty();
    feed();
    fencer.close();
    fencer = null;
    await().atMost(Duration.ofSeconds(5)).failFast("supervisor fired", () -> Files.exists(tmp.resolve("supervisor/fired")))
        .until(() -> Files.readString(tmp.resolve("supervisor/supervisor.log")).contains("disarmed"));
    assertThat(tmp.resolve("supervisor/fired")).doesNotExist();
  }
}
