package io.vigil.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeStatusTest {
  @ParameterizedTest(name = "in_ccm={0} crmd={1} join={2} expected={3} fencing={4} -> {5}")
  @CsvSource({
      "true,  online,  member,  member, true,  ONLINE",
      "true,  online,  pending, member, true,  PENDING",
      "false, offline, down,    down,   true,  OFFLINE",
      "false, offline, member,  member, true,  UNCLEAN",
      "true,  offline, member,  member, true,  UNCLEAN",
      "true,  online,  nack,    member, true,  UNCLEAN",
      "false, offline, member,  member, false, OFFLINE",
      "true,  offline, member,  member, false, UNCLEAN",
      "false, offline, down,    down,   false, OFFLINE",
      "1600000000, 1600000001, member, member, true, ONLINE",
      "0, 0, down, member, true, UNCLEAN",
  })
  void derivesNodeStateLikePacemaker(String inCcm, String crmd, String join, String expected, boolean fencing,
      NodeState want) {
    NodeStatus n = NodeStatus.online("n1", List.of()).withMembership(inCcm, crmd, join, expected);
    assertThat(n.state(fencing)).isEqualTo(want);
  }

  @ParameterizedTest
  @CsvSource({"1600000000, SHUTTING_DOWN", "0, ONLINE"})
  void shutdownAttributeMeansShuttingDown(String value, NodeState want) {
    NodeStatus n = NodeStatus.online("n1", List.of()).withAttributes(Map.of("shutdown", value));
    assertThat(n.state(true)).isEqualTo(want);
  }
}
