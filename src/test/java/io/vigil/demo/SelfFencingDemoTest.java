package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-fencing for real, without fence devices: three vigild in network namespaces with fencing disabled
 * explicitly, so the survivors recover the group once the lost node's lease has provably ended. The daemon of
 * the node running it is frozen (SIGSTOP) or killed (SIGKILL); only its watchdog supervisor can stop the
 * service and remove the floating address, and it must do so before the survivors start them: the service
 * process is sampled on every node every 10 ms and is never alive on two at once.
 */
@Tag("slow")
class SelfFencingDemoTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path tmp;
  private Path base;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @AfterEach
  void tearDown() throws Exception {
    if (base != null) Demo.stop(base, new PrintStream(java.io.OutputStream.nullOutputStream()));
    System.out.println(output);
  }

  private FailoverTimeline run(Demo.Fault fault, String prefix) throws Exception {
    assumeThat(NetnsLab.available(new Commands())).as("network namespaces (root)").isTrue();
    base = tmp.resolve("demo-" + fault.name().toLowerCase(java.util.Locale.ROOT));
    var opt = new Demo.Options(base, 3, "netns", fault, false, true, prefix, false);
    PrintStream out = new PrintStream(output, true);
    return new Demo(opt, Launcher.current(io.vigil.cli.Main.class.getName()), out, dir -> out.println("(status of " + dir + ")")).run();
  }

  /** The supervisor of the victim fired, killed the service's group and removed the address, before the recovery. */
  private void assertSupervisorStoppedTheVictimFirst(FailoverTimeline t, String prefix, String why) throws Exception {
    assertThat(t.fencedMs()).as("fencing is disabled").isEqualTo(-1);
    assertThat(t.newNode()).isNotEmpty().isNotEqualTo(t.victim());
    assertThat(t.dualActiveMs()).as("service alive on two nodes at once").isZero();
    DemoLayout layout = DemoLayout.netns(base, 3, prefix);
    DemoLayout.Node victim = layout.node(t.victim());
    String log = Files.readString(victim.stateDir().resolve("supervisor/supervisor.log"));
    assertThat(log).contains("FIRED: " + why).contains("killed process group").contains("removed " + layout.floatingCidr());
    Instant fired = log.lines().filter(l -> l.contains("FIRED")).map(l -> Instant.parse(l.substring(0, l.indexOf(' ')))).findFirst().orElseThrow();
    long firedMs = fired.toEpochMilli() - t.faultAt().toEpochMilli();
    output.writeBytes(("supervisor of " + t.victim() + " fired " + firedMs + " ms after the fault; recovered after " + t.recoveredMs()
        + " ms\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(firedMs).isLessThan(t.recoveredMs());
    String address = layout.floatingCidr().substring(0, layout.floatingCidr().indexOf('/'));
    assertThat(new Commands().run("ip", "-n", victim.namespace(), "-o", "addr", "show", "dev", "eth0")).doesNotContain(address + "/");
    assertThat(ServiceWatch.livePid(victim)).isEmpty();
  }

  @Test
  void aFrozenDaemonsServiceIsKilledByItsSupervisorBeforeTheSurvivorsStartIt() throws Exception {
    String prefix = "vsf" + ProcessHandle.current().pid() % 10_000;
    FailoverTimeline t = run(Demo.Fault.FREEZE, prefix);
    assertSupervisorStoppedTheVictimFirst(t, prefix, "not fed");
  }

  @Test
  void aKilledDaemonsServiceIsKilledByItsSupervisorBeforeTheSurvivorsStartIt() throws Exception {
    String prefix = "vsk" + ProcessHandle.current().pid() % 10_000;
    FailoverTimeline t = run(Demo.Fault.DAEMON, prefix);
    assertSupervisorStoppedTheVictimFirst(t, prefix, "feeder closed its pipe");
  }
}
