package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.OpDefaults;
import io.vigil.status.NodeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingTimeoutTest {
  private static ClusterConfig config(String timeout) {
    return new ClusterConfig("t", List.of(Node.named("n1"), Node.named("n2")), List.of(), List.of(),
        new ClusterProperties(Map.of("node-pending-timeout", timeout)), Meta.EMPTY, OpDefaults.EMPTY, List.of());
  }

  private static final NodeStatus JOINED_AT_1000 = NodeStatus.online("n2", List.of())
      .withMembership("1000", "offline", "pending", "member");

  @Test
  void aNodePendingLongerThanTheTimeoutIsDueForFencing() {
    assertThat(Context.pendingTimedOut(JOINED_AT_1000, config("300s"), Instant.ofEpochSecond(1300))).isTrue();
    assertThat(Context.pendingTimedOut(JOINED_AT_1000, config("300s"), Instant.ofEpochSecond(1299))).isFalse();
  }

  @Test
  void zeroMeansWaitForEverAndANonTimestampMembershipNeverTimesOut() {
    assertThat(Context.pendingTimedOut(JOINED_AT_1000, config("0"), Instant.ofEpochSecond(99_999))).isFalse();
    NodeStatus member = NodeStatus.online("n2", List.of()).withMembership("true", "offline", "pending", "member");
    assertThat(Context.pendingTimedOut(member, config("300s"), Instant.ofEpochSecond(99_999))).isFalse();
  }
}
