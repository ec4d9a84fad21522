package io.vigil.fencing.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.FenceResult.Power;
import io.vigil.model.AgentRef;
import io.vigil.model.Primitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssh device with a fake ssh first on PATH that records its argv. */
class SshDeviceTest {
  @TempDir Path dir;

  private io.vigil.fencing.FenceDevice device(int rc) throws Exception {
    Scripts.write(dir, "ssh", "for a in \"$@\"; do echo \"$a\"; done > " + dir + "/argv; exit " + rc);
    DeviceFactory f = new DeviceFactory(Path.of("/usr/sbin"), dir + ":" + DeviceFactory.DEFAULT_PATH, new GroupProcessRunner());
    return f.create(Primitive.of("dom0", AgentRef.parse("stonith:ssh"),
        Map.of("identity_file", "/etc/vigil/fence_key", "pcmk_host_map", "alpha:xen-alpha.lan")));
  }

  @Test
  void rebootLogsInWithTheKeyInBatchModeAndRunsADetachedReboot() throws Exception {
    FenceResult r = device(0).run(FenceAction.REBOOT, "alpha", Duration.ofSeconds(5));
    assertThat(r.succeeded()).isTrue();
    List<String> argv = Files.readAllLines(dir.resolve("argv"));
    assertThat(argv).containsSubsequence("-o", "BatchMode=yes").containsSubsequence("-i", "/etc/vigil/fence_key")
        .containsSubsequence("--", "xen-alpha.lan", SshDevice.REMOTE_REBOOT);
  }

  @Test
  void offRunsPoweroffAndStatusReportsReachableAsOn() throws Exception {
    var d = device(0);
    assertThat(d.run(FenceAction.OFF, "alpha", Duration.ofSeconds(5)).succeeded()).isTrue();
    assertThat(Files.readAllLines(dir.resolve("argv"))).last().isEqualTo(SshDevice.REMOTE_OFF);
    assertThat(d.run(FenceAction.STATUS, "alpha", Duration.ofSeconds(5)).power()).contains(Power.ON);
  }

  @Test
  void connectionFailureIsAFailureNeverAnOff() throws Exception {
    var d = device(255);
    FenceResult off = d.run(FenceAction.OFF, "alpha", Duration.ofSeconds(5));
    assertThat(off.succeeded()).isFalse();
    assertThat(off.message()).contains("exit 255");
    FenceResult st = d.run(FenceAction.STATUS, "alpha", Duration.ofSeconds(5));
    assertThat(st.succeeded()).isFalse();
    assertThat(st.power()).isEmpty();
  }

  @Test
  void validateAndNodeLessMonitorCheckTheKeyFile() throws Exception {
    var d = device(0);
    assertThat(d.run(FenceAction.VALIDATE_ALL, null, Duration.ofSeconds(5)).message())
        .contains("identity_file /etc/vigil/fence_key is missing or unreadable");
    assertThat(d.run(FenceAction.MONITOR, null, Duration.ofSeconds(5)).succeeded()).isFalse();
    Path key = dir.resolve("key");
    Files.writeString(key, "not really a key");
    DeviceFactory f = new DeviceFactory(Path.of("/usr/sbin"), dir + ":" + DeviceFactory.DEFAULT_PATH, new GroupProcessRunner());
    var ok = f.create(Primitive.of("dom0", AgentRef.parse("stonith:ssh"), Map.of("identity_file", key.toString())));
    assertThat(ok.run(FenceAction.VALIDATE_ALL, null, Duration.ofSeconds(5)).succeeded()).isTrue();
  }

  @Test
  void sshCannotPowerOn() throws Exception {
    assertThat(device(0).run(FenceAction.ON, "alpha", Duration.ofSeconds(5)).message()).contains("cannot on");
  }
}
