package io.vigil.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.exec.ExecResult;
import io.vigil.exec.ExecStatus;
import io.vigil.exec.Invocation;
import io.vigil.model.AgentRef;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FenceDeviceResourcesTest {
  private final List<String> delegated = new ArrayList<>();
  private final FenceDeviceResources runner = new FenceDeviceResources(inv -> {
    delegated.add(inv.resourceId() + ":" + inv.action());
    return new ExecResult(inv, 0, ExecStatus.DONE, Instant.EPOCH, Duration.ZERO, "", false, "");
  }, InstantSource.fixed(Instant.EPOCH));

  private static Invocation inv(String agent, String id, String action) {
    return Invocation.of(AgentRef.parse(agent), id, action, Map.of(), Duration.ofSeconds(20));
  }

  @Test
  void aFenceDeviceIsRegisteredByStartAndForgottenByStopWithoutRunningAnything() {
    assertThat(runner.run(inv("stonith:lab", "fence", "monitor")).rc()).isEqualTo(7);
    assertThat(runner.run(inv("stonith:lab", "fence", "start")).rc()).isZero();
    assertThat(runner.run(inv("stonith:lab", "fence", "monitor")).rc()).isZero();
    assertThat(runner.run(inv("stonith:lab", "fence", "stop")).rc()).isZero();
    assertThat(runner.run(inv("stonith:lab", "fence", "monitor")).rc()).isEqualTo(7);
    assertThat(runner.run(inv("stonith:lab", "fence", "promote")).rc()).isEqualTo(3);
    assertThat(delegated).isEmpty();
  }

  @Test
  void everyOtherAgentRunsForReal() {
    runner.run(inv("ocf:heartbeat:Dummy", "d", "start"));
    assertThat(delegated).containsExactly("d:start");
  }
}
