package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import io.vigil.exec.Invocation;
import io.vigil.model.AgentRef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FenceDeviceRunnerTest {
  private final List<Invocation> delegated = new ArrayList<>();
  private final FenceDeviceRunner runner = new FenceDeviceRunner(inv -> {
    delegated.add(inv);
    return new ExecResult(inv, 0, ExecStatus.DONE, Clock.systemUTC().instant(), Duration.ZERO, "", false, "");
  }, Clock.systemUTC());

  private static Invocation inv(String agent, String action) {
    return Invocation.of(AgentRef.parse(agent), "dev", action, Map.of(), Duration.ofSeconds(20));
  }

  @Test
  void fenceDevicesAreRegisteredNotRunAndTheirStopNeverFails() {
    assertThat(runner.run(inv("stonith:fence_ipmilan", "monitor")).rc()).isEqualTo(7);
    assertThat(runner.run(inv("stonith:fence_ipmilan", "start")).rc()).isZero();
    assertThat(runner.run(inv("stonith:fence_ipmilan", "monitor")).rc()).isZero();
    assertThat(runner.run(inv("stonith:fence_ipmilan", "stop")).rc()).isZero();
    assertThat(runner.run(inv("stonith:fence_ipmilan", "monitor")).rc()).isEqualTo(7);
    assertThat(delegated).isEmpty();
    runner.run(inv("ocf:heartbeat:Dummy", "start"));
    assertThat(delegated).hasSize(1);
  }
}
