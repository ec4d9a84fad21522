package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.DeviceStatus;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.topology.DeviceHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which monitor results the leader records: changes of pass/fail only. */
class DeviceMonitoringTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static DeviceHealth health(String device, boolean... results) {
    DeviceHealth h = DeviceHealth.initial(device, Duration.ofSeconds(60), T0);
    Instant t = T0;
    for (boolean ok : results) {
      t = t.plusSeconds(60);
      FenceResult r = ok ? FenceResult.success("monitor ok", Duration.ofMillis(5))
          : FenceResult.failed("monitor failed: connection refused", Duration.ofMillis(5));
      h = h.after(r, t);
    }
    return h;
  }

  @Test
  void aFailingDeviceIsRecordedOnceAndItsRecoveryOnce() {
    var failing = health("pdu", true, false);
    List<Command> first = DeviceMonitoring.changes(Map.of(), List.of(failing, health("ipmi", true), health("new")), "a", 1);
    assertThat(first).singleElement().isInstanceOfSatisfying(Command.RecordDeviceHealth.class, c -> {
      assertThat(c.device()).isEqualTo("pdu");
      assertThat(c.ok()).isFalse();
      assertThat(c.message()).contains("connection refused");
    });
    Map<String, DeviceStatus> recorded = Map.of("pdu", new DeviceStatus("pdu", false, 1, 1, "refused", "a"));
    assertThat(DeviceMonitoring.changes(recorded, List.of(health("pdu", true, false, false)), "a", 2))
        .as("still failing: nothing new to record").isEmpty();
    assertThat(DeviceMonitoring.changes(recorded, List.of(health("pdu", false, true)), "a", 3))
        .singleElement().extracting(c -> ((Command.RecordDeviceHealth) c).ok()).isEqualTo(true);
  }
}
