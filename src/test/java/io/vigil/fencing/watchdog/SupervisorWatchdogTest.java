package io.vigil.fencing.watchdog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor for real: a separate JVM feeds it; the test freezes (SIGSTOP) or kills (SIGKILL) that JVM and
 * checks that the supervisor kills the resource's process group and removes its address in a namespace.
 */
@Tag("slow")
class SupervisorWatchdogTest {
  private static final long TIMEOUT_MS = 1000;
  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();
  private final List<Long> stopped = new ArrayList<>();
  private String netns;

  @AfterEach
  void cleanUp() throws Exception {
    for (long pid : stopped) signal("-CONT", pid);
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    Path pidFile = dir.resolve("supervisor.pid");
    if (Files.exists(pidFile)) signal("-KILL", Long.parseLong(Files.readString(pidFile).strip()));
    if (netns != null) run("ip", "netns", "del", netns);
  }

  private Process resource() throws IOException {
    Process p = new ProcessBuilder("/usr/bin/setsid", "sleep", "600").start();
    started.add(p);
    return p;
  }

  private Process feeder(long pgid, String... address) throws IOException {
    String cp = codeSource(FeederMain.class) + File.pathSeparator + codeSource(SupervisorWatchdog.class);
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", cp,
        FeederMain.class.getName(), dir.toString(), String.valueOf(TIMEOUT_MS), String.valueOf(pgid)));
    cmd.addAll(List.of(address));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("feeder.out").toFile()).start();
    started.add(p);
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("feeder.ready")));
    return p;
  }

  private static String codeSource(Class<?> c) {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
  }

  @Test
  void frozenFeederMakesTheSupervisorKillTheResourceGroupAndRemoveItsAddressWithinTheTimeout() throws Exception {
    netns = "vgwd" + ProcessHandle.current().pid();
    run("ip", "netns", "add", netns);
    run("ip", "-n", netns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
    run("ip", "-n", netns, "link", "set", "v0", "up");
    run("ip", "-n", netns, "addr", "add", "10.77.0.100/24", "dev", "v0");
    Process res = resource();
    Process feeder = feeder(res.pid(), netns, "v0", "10.77.0.100/24");
    await().during(Duration.ofMillis(2 * TIMEOUT_MS)).atMost(Duration.ofMillis(3 * TIMEOUT_MS)).until(res::isAlive);
    long frozenAt = System.nanoTime();
    signal("-STOP", feeder.pid());
    stopped.add(feeder.pid());
    await().atMost(Duration.ofMillis(TIMEOUT_MS + 1500)).pollInterval(Duration.ofMillis(20)).until(() -> !res.isAlive());
    long tookMs = (System.nanoTime() - frozenAt) / 1_000_000;
    await().atMost(Duration.ofSeconds(2)).until(() -> !run("ip", "-n", netns, "-o", "addr", "show", "dev", "v0").contains("10.77.0.100"));
    await().atMost(Duration.ofSeconds(2)).until(() -> Files.readString(dir.resolve("supervisor.log")).contains(" done"));
    assertThat(Files.readString(dir.resolve("supervisor.log"))).contains("FIRED: not fed for 1.000s")
        .contains("killed process group " + res.pid()).contains("removed 10.77.0.100/24 from v0 in " + netns);
    Files.writeString(Path.of("target", "supervisor-sigstop-ms.txt"), tookMs + "\n");
  }

  @Test
  void killedFeederMakesTheSupervisorActAtOnce() throws Exception {
    Process res = resource();
    Process feeder = feeder(res.pid());
    long killedAt = System.nanoTime();
    signal("-KILL", feeder.pid());
    await().atMost(Duration.ofMillis(TIMEOUT_MS)).pollInterval(Duration.ofMillis(10)).until(() -> !res.isAlive());
    Files.writeString(Path.of("target", "supervisor-sigkill-ms.txt"), (System.nanoTime() - killedAt) / 1_000_000 + "\n");
    await().atMost(Duration.ofSeconds(2)).until(() -> Files.readString(dir.resolve("supervisor.log")).contains(" done"));
    assertThat(Files.readString(dir.resolve("supervisor.log"))).contains("feeder closed its pipe without the magic close");
  }

  @Test
  void magicCloseDisarmsTheSupervisorAndTheResourceLives() throws Exception {
    Process res = resource();
    Process feeder = feeder(res.pid());
    Files.writeString(dir.resolve("feeder.disarm"), "");
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(dir.resolve("feeder.disarmed")));
    long supervisor = Long.parseLong(Files.readString(dir.resolve("supervisor.pid")).strip());
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(supervisor).map(h -> !h.isAlive()).orElse(true)
        || Files.readString(dir.resolve("supervisor.log")).contains("disarmed"));
    signal("-STOP", feeder.pid());
    stopped.add(feeder.pid());
    await().during(Duration.ofMillis(2 * TIMEOUT_MS)).atMost(Duration.ofMillis(3 * TIMEOUT_MS)).until(res::isAlive);
    assertThat(Files.exists(dir.resolve("fired"))).isFalse();
  }

  @Test
  void nodeThatLosesQuorumHasItsResourcesKilledByTheSupervisorNoLaterThanItsLeaseEnds() throws Exception {
    Process res = resource();
    SupervisorWatchdog[] wd = new SupervisorWatchdog[1];
    SelfFencer fencer = new SelfFencer(() -> wd[0] = SupervisorWatchdog.start(dir, Duration.ofMillis(TIMEOUT_MS)),
        Duration.ofMillis(TIMEOUT_MS));
    try {
      // Quorate for a while: the lease is renewed at every poll, so it is fed; the resource lives past the timeout.
      long quorateUntil = System.nanoTime() + 2 * TIMEOUT_MS * 1_000_000;
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
        java.time.Instant now = java.time.Instant.now();
        fencer.poll(true, java.util.Optional.of(now.plusMillis(4950)), now);
        return System.nanoTime() > quorateUntil;
      });
      fencer.protectGroup("res", res.pid());
      assertThat(Files.readString(dir.resolve("pgroups")).strip()).isEqualTo(Long.toString(res.pid()));
      assertThat(res.isAlive()).isTrue();
      // Quorum lost: the lease is no longer renewed; fed only until lease end - timeout.
      java.time.Instant leaseEnd = java.time.Instant.now().plusMillis(1500);
      await().atMost(Duration.ofMillis(1500 + 3000)).pollInterval(Duration.ofMillis(100)).until(() -> {
        fencer.poll(false, java.util.Optional.of(leaseEnd), java.time.Instant.now());
        return !res.isAlive();
      });
      java.time.Instant killed = java.time.Instant.now();
      // The kill lands at the lease end at the latest (plus this loop's 100 ms polling and the kill itself).
      assertThat(killed).isBefore(leaseEnd.plusMillis(400));
      assertThat(fencer.status()).contains("within the watchdog timeout");
      await().atMost(Duration.ofSeconds(2)).until(wd[0]::fired);
    } finally {
      fencer.close();
    }
  }

  @Test
  void withoutAWatchdogDeviceTheSupervisorIsStartedAndDisarmsCleanly() throws Exception {
    try (WatchdogFeeder wd = Watchdogs.open(dir.resolve("no-such-watchdog"), dir, Duration.ofMillis(TIMEOUT_MS))) {
      assertThat(wd).isInstanceOf(SupervisorWatchdog.class);
      assertThat(wd.describe()).startsWith("supervisor pid ");
      wd.feed();
      wd.disarm();
    }
    await().atMost(Duration.ofSeconds(3)).until(() -> Files.exists(dir.resolve("supervisor.log"))
        && Files.readString(dir.resolve("supervisor.log")).contains("magic close: disarmed"));
    assertThat(Files.exists(dir.resolve("fired"))).isFalse();
  }

  private static void signal(String sig, long pid) throws Exception {
    run("kill", sig, String.valueOf(pid));
  }

  private static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
