package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.exec.AgentExecutor;
import io.vigil.exec.BuiltinRegistry;
import io.vigil.exec.ExecConfig;
import io.vigil.exec.ExecResult;
import io.vigil.exec.Invocation;
import io.vigil.exec.ProcTable;
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

  @AfterEach
  void cleanUp() throws Exception {
    if (fencer != null) fencer.close();
    if (servicePid != null) ProcessHandle.of(servicePid).ifPresent(ProcessHandle::destroyForcibly);
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
