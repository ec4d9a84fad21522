package io.vigil.fencing.topology;

import static io.vigil.fencing.topology.ScriptedDevice.fail;
import static io.vigil.fencing.topology.ScriptedDevice.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.fencing.FakeClock;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.FenceResult;
import io.vigil.model.FencingLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The executor over in-memory devices and a fake clock: order, all-of-level, retries, timeouts, delays. */
class TopologyExecutorTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<Duration> slept = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final Map<String, ScriptedDevice> devs = new LinkedHashMap<>();

  private ScriptedDevice dev(String id, Map<String, String> params) {
    ScriptedDevice d = new ScriptedDevice(id, params, clock);
    devs.put(id, d);
    return d;
  }

  private FenceOperation run(List<FencingLevel> levels, FenceAction action, Duration timeout) throws InterruptedException {
    Map<String, io.vigil.fencing.DeviceSettings> settings = new LinkedHashMap<>();
    Map<String, FenceDevice> byId = new LinkedHashMap<>();
    devs.forEach((k, v) -> {
      settings.put(k, v.settings());
      byId.put(k, v);
    });
    TopologyExecutor ex = new TopologyExecutor(new Topology(levels, settings), byId, clock, d -> {
      slept.add(d);
      clock.advance(d);
    }, new SplittableRandom(7), Duration.ofSeconds(60), log::add);
    return ex.fence(new FenceRequest("beta", action, FenceRequest.Kind.OPERATOR, "alice", "disk hung", Optional.of(timeout)));
  }

  private static FencingLevel level(int i, String... devices) {
    return new FencingLevel("beta", false, i, List.of(devices));
  }

  @Test
  void firstSuccessfulLevelEndsTheOperation() throws Exception {
    dev("ipmi", Map.of("pcmk_host_list", "beta", "pcmk_retries", "0")).then(fail(Duration.ofSeconds(2)));
    dev("pdu", Map.of("pcmk_host_list", "beta"));
    dev("spare", Map.of("pcmk_host_list", "beta"));
    FenceOperation op = run(List.of(level(2, "pdu"), level(1, "ipmi"), level(3, "spare")), FenceAction.REBOOT, Duration.ofSeconds(60));
    assertThat(op.succeeded()).isTrue();
    assertThat(op.level()).contains(2);
    assertThat(op.attempts()).extracting(FenceAttempt::device).containsExactly("ipmi", "pdu");
    assertThat(devs.get("spare").calls).isEmpty();
  }

  @Test
  void everyDeviceOfALevelMustSucceed() throws Exception {
    dev("psu1", Map.of("pcmk_host_list", "beta"));
    dev("psu2", Map.of("pcmk_host_list", "beta", "pcmk_retries", "1")).then(fail(Duration.ofSeconds(1))).then(fail(Duration.ofSeconds(1)));
    dev("ipmi", Map.of("pcmk_host_list", "beta"));
    FenceOperation op = run(List.of(level(1, "psu1", "psu2"), level(2, "ipmi")), FenceAction.OFF, Duration.ofSeconds(60));
    assertThat(op.level()).contains(2);
    assertThat(op.attempts()).extracting(a -> a.device() + ":" + a.outcome())
        .containsExactly("psu1:SUCCESS", "psu2:FAILED", "psu2:FAILED", "ipmi:SUCCESS");
  }

  @Test
  void failedActionIsRetriedUpToTheDeviceRetries() throws Exception {
    dev("ipmi", Map.of("pcmk_host_list", "beta", "pcmk_reboot_retries", "2"))
        .then(fail(Duration.ofSeconds(1))).then(fail(Duration.ofSeconds(1))).then(ok(Duration.ofSeconds(1)));
    FenceOperation op = run(List.of(level(1, "ipmi")), FenceAction.REBOOT, Duration.ofSeconds(60));
    assertThat(op.succeeded()).isTrue();
    assertThat(op.attempts()).hasSize(3);
  }

  @Test
  void everyLevelFailingFailsTheOperationWithTheLastReason() throws Exception {
    dev("ipmi", Map.of("pcmk_host_list", "beta", "pcmk_retries", "0")).fallback = fail(Duration.ofSeconds(1));
    FenceOperation op = run(List.of(level(1, "ipmi")), FenceAction.REBOOT, Duration.ofSeconds(60));
    assertThat(op.succeeded()).isFalse();
    assertThat(op.summary()).contains("every level failed").contains("device 'ipmi' reboot: failed rc=1: unreachable");
  }

  @Test
  void aHangingDeviceIsCutAtItsTimeoutAndTheOperationAtTheFencingTimeout() throws Exception {
    ScriptedDevice slow = dev("ipmi", Map.of("pcmk_host_list", "beta", "pcmk_reboot_timeout", "20s"));
    slow.fallback = ok(Duration.ofMinutes(10));
    dev("pdu", Map.of("pcmk_host_list", "beta"));
    Instant start = clock.instant();
    FenceOperation op = run(List.of(level(1, "ipmi"), level(2, "pdu")), FenceAction.REBOOT, Duration.ofSeconds(50));
    assertThat(slow.timeouts).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(10));
    assertThat(op.attempts()).allMatch(a -> a.outcome() == FenceResult.Outcome.TIMEOUT);
    assertThat(op.succeeded()).isFalse();
    assertThat(op.summary()).contains("fencing timeout exceeded");
    assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(50));
    assertThat(devs.get("pdu").calls).isEmpty();
  }

  @Test
  void staticAndRandomDelaysComeBeforeTheFencingActionOnly() throws Exception {
    dev("ipmi", Map.of("pcmk_host_list", "beta", "pcmk_delay_base", "2s", "pcmk_delay_max", "10s"));
    FenceOperation op = run(List.of(level(1, "ipmi")), FenceAction.OFF, Duration.ofSeconds(60));
    assertThat(slept).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10)));
    assertThat(op.succeeded()).isTrue();
  }

  @Test
  void rebootOnALevelWithSeveralDevicesTurnsAllOffThenAllOn() throws Exception {
    dev("psu1", Map.of("pcmk_host_list", "beta"));
    dev("psu2", Map.of("pcmk_host_list", "beta"));
    FenceOperation op = run(List.of(level(1, "psu1", "psu2")), FenceAction.REBOOT, Duration.ofSeconds(60));
    assertThat(op.attempts()).extracting(a -> a.device() + " " + a.action())
        .containsExactly("psu1 off", "psu2 off", "psu1 on", "psu2 on");
    assertThat(op.succeeded()).isTrue();
  }

  @Test
  void dynamicListDeviceIsAskedAndSkippedWhenItDoesNotListTheNode() throws Exception {
    dev("virsh", Map.of()).then(new FenceResult(FenceResult.Outcome.SUCCESS, Optional.empty(), java.util.OptionalInt.of(0),
        "", "alpha,uuid1\ngamma,uuid3\n", Duration.ofMillis(300)));
    dev("ipmi", Map.of("pcmk_host_list", "beta"));
    FenceOperation op = run(List.of(level(1, "virsh"), level(2, "ipmi")), FenceAction.OFF, Duration.ofSeconds(60));
    assertThat(devs.get("virsh").calls).containsExactly("list null");
    assertThat(op.level()).contains(2);
  }

  @Test
  void attemptsRecordRequesterReasonDeviceActionResultAndDuration() throws Exception {
    dev("ipmi", Map.of("pcmk_host_list", "beta")).then(ok(Duration.ofMillis(1500)));
    FenceOperation op = run(List.of(level(1, "ipmi")), FenceAction.OFF, Duration.ofSeconds(60));
    FenceAttempt a = op.attempts().getFirst();
    assertThat(a.requester()).isEqualTo("alice");
    assertThat(a.reason()).isEqualTo("disk hung");
    assertThat(a.target()).isEqualTo("beta");
    assertThat(a.device()).isEqualTo("ipmi");
    assertThat(a.action()).isEqualTo(FenceAction.OFF);
    assertThat(a.result()).startsWith("success");
    assertThat(a.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(op.requester()).isEqualTo("alice");
    assertThat(op.finished()).isEqualTo(op.started().plusMillis(1500));
  }

  @Test
  void withoutConfiguredLevelsEveryCapableDeviceIsTriedInTurn() throws Exception {
    dev("ipmi-alpha", Map.of("pcmk_host_list", "alpha"));
    dev("ipmi-beta", Map.of("pcmk_host_list", "beta", "pcmk_retries", "0")).then(fail(Duration.ofSeconds(1)));
    dev("pdu", Map.of("pcmk_host_map", "alpha:1;beta:2"));
    FenceOperation op = run(List.of(), FenceAction.OFF, Duration.ofSeconds(60));
    assertThat(op.attempts()).extracting(FenceAttempt::device).containsExactly("ipmi-beta", "pdu");
    assertThat(op.succeeded()).isTrue();
    assertThat(devs.get("ipmi-alpha").calls).isEmpty();
  }
}
