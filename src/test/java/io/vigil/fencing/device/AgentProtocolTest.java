package io.vigil.fencing.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.FenceResult.Outcome;
import io.vigil.fencing.FenceResult.Power;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fence-agents convention against real scripts run by the real process runner. */
class AgentProtocolTest {
  @TempDir Path dir;
  private final GroupProcessRunner runner = new GroupProcessRunner();

  private AgentDevice device(Path script, Map<String, String> params, Secrets secrets) {
    return new AgentDevice("dev", script, params, secrets, DeviceSettings.parse("dev", params), runner);
  }

  @Test
  void parametersAndSecretsGoOnStdinNeverOnArgv() throws Exception {
    Path script = Scripts.write(dir, "rec", "cat > " + dir + "/stdin; echo \"$@\" > " + dir + "/argv; exit 0");
    var d = device(script, Map.of("ipaddr", "192.0.2.7", "login", "admin", "pcmk_host_map", "alpha:7"),
        Secrets.of(Map.of("passwd", "s3cr3t-Pw")));
    FenceResult r = d.run(FenceAction.OFF, "alpha", Duration.ofSeconds(5));
    assertThat(r.succeeded()).isTrue();
    List<String> lines = Files.readAllLines(dir.resolve("stdin"));
    assertThat(lines).containsExactly("action=off", "plug=7", "nodename=alpha", "ipaddr=192.0.2.7", "login=admin",
        "passwd=s3cr3t-Pw");
    assertThat(Files.readString(dir.resolve("argv"))).isBlank();
  }

  @Test
  void hostArgumentRenamesOrOmitsThePort() throws Exception {
    Path script = Scripts.write(dir, "rec2", "cat > " + dir + "/stdin2; exit 0");
    device(script, Map.of("pcmk_host_argument", "port", "pcmk_host_map", "alpha:7"), Secrets.NONE)
        .run(FenceAction.REBOOT, "alpha", Duration.ofSeconds(5));
    assertThat(Files.readAllLines(dir.resolve("stdin2"))).containsExactly("action=reboot", "port=7", "nodename=alpha");
    device(script, Map.of("pcmk_host_argument", "none"), Secrets.NONE).run(FenceAction.OFF, "alpha", Duration.ofSeconds(5));
    assertThat(Files.readAllLines(dir.resolve("stdin2"))).containsExactly("action=off", "nodename=alpha");
  }

  @ParameterizedTest(name = "status exit {0} -> {1}")
  @CsvSource({"0, SUCCESS, ON", "2, SUCCESS, OFF", "1, FAILED, ", "3, FAILED, ", "125, FAILED, ", "255, FAILED, "})
  void statusExitCodesFollowTheConvention(int rc, Outcome outcome, Power power) throws Exception {
    Path script = Scripts.write(dir, "st", "cat >/dev/null; exit " + rc);
    FenceResult r = device(script, Map.of(), Secrets.NONE).run(FenceAction.STATUS, "n1", Duration.ofSeconds(5));
    assertThat(r.outcome()).isEqualTo(outcome);
    assertThat(r.power().orElse(null)).isEqualTo(power);
    assertThat(r.exitCode()).hasValue(rc);
  }

  @ParameterizedTest(name = "{0} exit {1} -> {2}")
  @CsvSource({"off, 0, SUCCESS", "off, 1, FAILED", "reboot, 0, SUCCESS", "reboot, 2, FAILED", "on, 0, SUCCESS",
      "on, 1, FAILED", "monitor, 0, SUCCESS", "monitor, 1, FAILED", "list, 0, SUCCESS", "validate-all, 1, FAILED"})
  void nonStatusActionsSucceedOnlyWithExitZero(String action, int rc, Outcome outcome) throws Exception {
    Path script = Scripts.write(dir, "a", "cat >/dev/null; exit " + rc);
    FenceAction a = FenceAction.parse(action).orElseThrow();
    assertThat(device(script, Map.of(), Secrets.NONE).run(a, "n1", Duration.ofSeconds(5)).outcome()).isEqualTo(outcome);
  }

  @Test
  void garbageOutputDoesNotChangeTheVerdictAndIsBounded() throws Exception {
    Path script = Scripts.write(dir, "g", "cat >/dev/null; head -c 300000 /dev/urandom; head -c 100000 /dev/urandom >&2; exit 2");
    FenceResult r = device(script, Map.of(), Secrets.NONE).run(FenceAction.STATUS, "n1", Duration.ofSeconds(10));
    assertThat(r.power()).contains(Power.OFF);
    assertThat(r.output().length()).isLessThanOrEqualTo(GroupProcessRunner.MAX_CAPTURE);
    FenceResult off = device(script, Map.of(), Secrets.NONE).run(FenceAction.OFF, "n1", Duration.ofSeconds(10));
    assertThat(off.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(off.message().length()).isLessThan(700);
  }

  @Test
  void hangingAgentIsKilledWithItsChildrenAtTheTimeout() throws Exception {
    Path script = Scripts.write(dir, "hang", "cat >/dev/null; sleep 300 & echo $! > " + dir + "/child; echo $$ > "
        + dir + "/self; sleep 300");
    FenceResult r = device(script, Map.of(), Secrets.NONE).run(FenceAction.REBOOT, "n1", Duration.ofMillis(700));
    assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(r.succeeded()).isFalse();
    long child = Long.parseLong(Files.readString(dir.resolve("child")).strip());
    long self = Long.parseLong(Files.readString(dir.resolve("self")).strip());
    await().atMost(Duration.ofSeconds(5)).until(() -> !alive(child) && !alive(self));
  }

  @Test
  void agentThatNeverReadsALargeStdinIsStillCutAtTheTimeout() throws Exception {
    Path script = Scripts.write(dir, "deaf", "exec sleep 300");
    String big = "x".repeat(200_000);
    FenceResult r = device(script, Map.of("blob", big), Secrets.NONE).run(FenceAction.OFF, "n1", Duration.ofMillis(500));
    assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
  }

  @Test
  void childLeftBehindAfterExitIsKilledToo() throws Exception {
    Path script = Scripts.write(dir, "leave", "cat >/dev/null; sleep 300 >/dev/null 2>&1 & echo $! > " + dir + "/child; exit 0");
    assertThat(device(script, Map.of(), Secrets.NONE).run(FenceAction.OFF, "n1", Duration.ofSeconds(5)).succeeded()).isTrue();
    long child = Long.parseLong(Files.readString(dir.resolve("child")).strip());
    await().atMost(Duration.ofSeconds(5)).until(() -> !alive(child));
  }

  @Test
  void missingExecutableIsAFailureNotAnException() throws Exception {
    FenceResult r = device(dir.resolve("nope"), Map.of(), Secrets.NONE).run(FenceAction.OFF, "n1", Duration.ofSeconds(2));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.message()).contains("could not be started");
  }

  @Test
  void secretsNeverAppearInResultsEvenWhenTheAgentEchoesThem() throws Exception {
    Path script = Scripts.write(dir, "echo", "cat; cat " + dir + "/stdin-copy 2>/dev/null; grep passwd >&2 < /dev/null; exit 1");
    Path fake = Scripts.write(dir, "echo2", "in=$(cat); echo \"$in\"; echo \"bad login: $in\" >&2; exit 1");
    Secrets secrets = Secrets.of(Map.of("passwd", "hunter2-topsecret"));
    for (Path p : List.of(script, fake)) {
      for (FenceAction a : List.of(FenceAction.OFF, FenceAction.STATUS, FenceAction.LIST)) {
        FenceResult r = device(p, Map.of("login", "admin"), secrets).run(a, "n1", Duration.ofSeconds(5));
        assertThat(r.toString() + r.summary() + r.output()).doesNotContain("hunter2-topsecret");
      }
    }
    FenceResult r = device(fake, Map.of(), secrets).run(FenceAction.OFF, "n1", Duration.ofSeconds(5));
    assertThat(r.message()).contains("******");
  }

  @Test
  void secretValueWithLineBreakIsRejectedWithoutShowingIt() throws Exception {
    Path script = Scripts.write(dir, "ok", "cat >/dev/null; exit 0");
    FenceResult r = device(script, Map.of(), Secrets.of(Map.of("passwd", "abc\naction=on")))
        .run(FenceAction.OFF, "n1", Duration.ofSeconds(5));
    assertThat(r.succeeded()).isFalse();
    assertThat(r.message()).contains("'passwd'").doesNotContain("abc");
  }

  @Test
  void listOutputIsParsedIntoPorts() {
    assertThat(AgentProtocol.parseList("1,alpha\n2,beta\n\nvm3\n")).containsExactly("1", "2", "vm3");
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && !isZombie(pid);
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Arrays.asList("Z", "X").contains(f[0]);
    } catch (java.io.IOException e) {
      return true;
    }
  }
}
