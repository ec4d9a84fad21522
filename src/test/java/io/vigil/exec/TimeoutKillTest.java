package io.vigil.exec;

import io.vigil.model.AgentRef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hanging agent whose child ignores SIGTERM: killed at its timeout with nothing left behind. */
@Tag("slow")
class TimeoutKillTest {
  @TempDir Path tmp;

  private static final String HANG = """
      #!/bin/sh
      # Records its session id, forks a child that ignores SIGTERM, then hangs.
      ps -o sid= -p $$ | tr -d ' ' > "$OCF_RESKEY_dir/sid"
      sh -c 'trap "" TERM; echo $$ > "$OCF_RESKEY_dir/child"; while :; do sleep 1; done' &
      echo started
      sleep 1000
      """;

  private Long session;

  @AfterEach
  void killLeftovers() {
    // Safety net so a failing run does not leave the hanging processes behind.
    if (session != null) {
      ProcTable.snapshot().stream().filter(p -> p.sid() == session)
          .forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  private ExecResult runHanging(boolean reaper) throws Exception {
    Path root = tmp.resolve("ocf");
    TestAgents.ocfAgent(root, "hang", HANG);
    ExecResult r = TestAgents.executor(root, tmp.resolve("init.d"), reaper).run(new Invocation(
        AgentRef.parse("ocf:vigiltest:hang"), "hung", "start", Map.of("dir", tmp.toString()), Map.of(),
        Duration.ofSeconds(1), Duration.ZERO));
    session = Long.parseLong(Files.readString(tmp.resolve("sid")).strip());
    return r;
  }

  @Test
  void timedOutAgentAndItsTermIgnoringChildAreKilledAndReaped() throws Exception {
    ExecResult r = runHanging(true);
    assertThat(r.status()).isEqualTo(ExecStatus.TIMED_OUT);
    assertThat(r.rc()).isEqualTo(OcfRc.TIMEOUT);
    assertThat(r.classification()).isEqualTo(Classification.TIMED_OUT);
    assertThat(r.output()).contains("started");
    assertThat(r.detail()).startsWith("did not finish within 1s; sent SIGTERM to ").contains("SIGKILL to ");
    long child = Long.parseLong(Files.readString(tmp.resolve("child")).strip());
    assertThat(Path.of("/proc", Long.toString(child))).as("TERM-ignoring child is gone, not even a zombie").doesNotExist();
    List<ProcTable.Proc> left = ProcTable.snapshot().stream().filter(p -> p.sid() == session).toList();
    assertThat(left).as("processes (live or zombie) left in the agent's session").isEmpty();
  }

  @Test
  void withPlainSetsidNothingOfTheGroupIsLeftRunning() throws Exception {
    ExecResult r = runHanging(false);
    assertThat(r.status()).isEqualTo(ExecStatus.TIMED_OUT);
    long child = Long.parseLong(Files.readString(tmp.resolve("child")).strip());
    // Without the reaper wrapper, an orphan is reaped by PID 1; where PID 1 does not reap (some
    // containers) it may stay a zombie, but nothing may keep running.
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcTable.read(child).map(ProcTable.Proc::zombie).orElse(true));
    assertThat(ProcTable.snapshot().stream().filter(p -> p.sid() == session && !p.zombie())).isEmpty();
  }

  @Test
  void quickAgentsAreNotAffectedByTheKillMachinery() throws Exception {
    Path root = tmp.resolve("ocf");
    TestAgents.ocfAgent(root, "quick", "#!/bin/sh\necho ok\nexit 7\n");
    ExecResult r = TestAgents.executor(root, tmp, true).run(Invocation.of(AgentRef.parse("ocf:vigiltest:quick"), "q",
        "monitor", Map.of(), Duration.ofSeconds(10)));
    assertThat(r.status()).isEqualTo(ExecStatus.DONE);
    assertThat(r.rc()).isEqualTo(OcfRc.NOT_RUNNING);
    assertThat(r.output()).isEqualTo("ok\n");
  }
}
