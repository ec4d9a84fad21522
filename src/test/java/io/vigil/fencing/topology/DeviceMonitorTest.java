package io.vigil.fencing.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.fencing.FakeClock;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.device.DeviceFactory;
import io.vigil.model.AgentRef;
import io.vigil.model.Primitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recurring monitors of real script devices, scheduled by a fake clock. */
class DeviceMonitorTest {
  @TempDir Path dir;

  @Test
  void failingMonitorShowsInStatusUntilTheDeviceRecovers() throws Exception {
    Path flag = dir.resolve("healthy");
    Path agent = dir.resolve("pdu");
    Files.writeString(agent, "#!/bin/sh\ncat >/dev/null\n[ -e " + flag + " ] && exit 0\necho 'no route to 192.0.2.50' >&2\nexit 1\n");
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
    FenceDevice pdu = DeviceFactory.system().create(Primitive.of("pdu", AgentRef.parse("stonith:script"),
        Map.of("path", agent.toString(), "pcmk_host_list", "beta")));
    FakeClock clock = new FakeClock(Instant.parse("2026-05-01T12:00:00Z"));
    DeviceMonitor m = new DeviceMonitor(Map.of("pdu", pdu), Map.of("pdu", Duration.ofSeconds(30)), clock, Duration.ofSeconds(10));

    Instant next = m.pollDue();
    assertThat(next).isEqualTo(Instant.parse("2026-05-01T12:00:30Z"));
    assertThat(m.health().get("pdu").statusLine())
        .isEqualTo("fence device 'pdu': monitor FAILING since 2026-05-01T12:00:00Z (1 time(s)): "
            + "failed rc=1: monitor failed with exit code 1 (no route to 192.0.2.50)");
    clock.advance(Duration.ofSeconds(10));
    m.pollDue();
    assertThat(m.health().get("pdu").failures()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(20));
    m.pollDue();
    assertThat(m.health().get("pdu").failures()).isEqualTo(2);
    assertThat(m.health().get("pdu").failingSince()).contains(Instant.parse("2026-05-01T12:00:00Z"));
    Files.writeString(flag, "");
    clock.advance(Duration.ofSeconds(30));
    m.pollDue();
    assertThat(m.health().get("pdu").ok()).isTrue();
    assertThat(m.health().get("pdu").statusLine()).startsWith("fence device 'pdu': ok");
  }
}
