package io.vigil.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cluster.state.Apply;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Member;
import io.vigil.cluster.state.NodeState;
import java.util.List;
import org.junit.jupiter.api.Test;

class TakeoverSeedTest {
  static ClusterState committed() {
    ClusterState s = ClusterState.initial("demo");
    s = Apply.apply(s, new Command.AddMember("a", "127.0.0.1:7000", Member.Role.VOTER, "root", 1)).state();
    s = Apply.apply(s, new Command.AddMember("b", "127.0.0.1:7002", Member.Role.VOTER, "root", 2)).state();
    s = Apply.apply(s, new Command.SetNodeState("a", NodeState.ONLINE, "up", "node:a", 3)).state();
    s = Apply.apply(s, new Command.SetNodeState("b", NodeState.ONLINE, "up", "node:a", 3)).state();
    return Apply.apply(s, new Command.ApplyConfig(0, "cluster: demo\n", "first", "root", 4)).state();
  }

  @Test
  void theWholeLocalLogTheFencingAndThePeersRemovalMakeTheSeed() {
    ClusterState applied = committed();
    List<Command> tail = List.of(new Command.ApplyConfig(1, "cluster: demo\n# tail\n", "uncommitted", "root", 5));
    ClusterState seed = TakeoverSeed.of(applied, tail, "a", "b", "topology", 0, 7, 6);
    assertThat(seed.epoch()).as("the uncommitted tail is applied").isEqualTo(2);
    assertThat(seed.config().reason()).isEqualTo("uncommitted");
    assertThat(seed.status().nodes().get("b").state()).isEqualTo(NodeState.FENCED);
    assertThat(seed.status().nodes().get("a").state()).isEqualTo(NodeState.ONLINE);
    assertThat(seed.members()).containsOnlyKeys("a");
    assertThat(seed.history().events()).anySatisfy(e -> assertThat(e.text())
        .contains("two-node takeover by a: b fenced, the cluster moves from raft generation 0 (term 7) to generation 1 with a as its only voter"));
    assertThat(seed.history().events()).extracting(e -> e.text()).contains("configuration epoch 1: first", "configuration epoch 2: uncommitted");
  }

  @Test
  void aTailCommandTheStateMachineRefusesChangesNothingAsItWouldInRaft() {
    ClusterState applied = committed();
    ClusterState seed = TakeoverSeed.of(applied, List.of(new Command.ApplyConfig(0, "cluster: x\n", "stale", "root", 5)),
        "a", "b", "topology", 3, 9, 6);
    assertThat(seed.epoch()).isEqualTo(1);
    assertThat(seed.config().yaml()).isEqualTo("cluster: demo\n");
  }

  @Test
  void aPeerThatWasNeverAMemberIsStillRecordedFenced() {
    ClusterState seed = TakeoverSeed.of(ClusterState.initial("demo"), List.of(), "a", "b", "pdu", 0, 1, 6);
    assertThat(seed.status().nodes().get("b").state()).isEqualTo(NodeState.FENCED);
    assertThat(seed.members()).isEmpty();
  }
}
