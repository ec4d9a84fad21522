package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.BuiltinAgents;
import io.vigil.exec.AgentExecutor;
import io.vigil.exec.AgentTester;
import io.vigil.exec.ExecConfig;
import io.vigil.exec.Invocation;
import io.vigil.model.AgentRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** builtin:ip through the executor, as the cluster runs it: the ocf-tester contract in a real namespace. */
@Tag("slow")
class IpBuiltinAgentTest {
  @TempDir Path state;

  @Test
  void passesTheOcfContractInANamespace() throws Exception {
    try (NetnsLab lab = NetnsLab.up("vbi", 2, false)) {
      AgentExecutor executor = AgentExecutor.system(ExecConfig.defaults(), BuiltinAgents.all(state));
      Map<String, String> params = Map.of("address", "10.77.0.123/24", "interface", "eth0",
          "netns", lab.host(1), "state-dir", state.toString(), "announce-count", "1");
      List<AgentTester.Check> checks = new AgentTester(executor)
          .test(AgentRef.parse("builtin:ip"), "vip", params, Optional.of(Duration.ofSeconds(20)));
      assertThat(checks).allSatisfy(c -> assertThat(c.pass()).as(c.name() + ": " + c.actual()).isTrue());
      assertThat(NetnsLab.sh("ip", "-n", lab.host(1), "-o", "addr", "show", "dev", "eth0")).doesNotContain("10.77.0.123");
    }
  }

  @Test
  void badParametersAreAConfigurationErrorNamingTheProblem() {
    AgentExecutor executor = AgentExecutor.system(ExecConfig.defaults(), BuiltinAgents.all(state));
    var r = executor.run(Invocation.of(AgentRef.parse("builtin:ip"), "vip", "start",
        Map.of("address", "not-an-ip"), Duration.ofSeconds(5)));
    assertThat(r.rc()).isEqualTo(6);
    assertThat(r.output()).contains("'not-an-ip' is not an IP address literal").contains("missing required parameter 'interface'");
  }
}
