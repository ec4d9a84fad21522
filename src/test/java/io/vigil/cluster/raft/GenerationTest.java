package io.vigil.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.cluster.state.Member;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationTest {
  @TempDir Path dir;
  static final Peer A = new Peer("a", "127.0.0.1:7000", Member.Role.VOTER);
  static final Peer B = new Peer("b", "127.0.0.1:7002", Member.Role.VOTER);

  @Test
  void generationZeroKeepsTheGroupIdClustersAlwaysHad() {
    assertThat(Generation.groupId("demo", 0).getUuid())
        .isEqualTo(java.util.UUID.nameUUIDFromBytes("vigil-cluster:demo".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(RaftNode.groupId("demo")).isEqualTo(Generation.groupId("demo", 0));
  }

  @Test
  void everyGenerationAndClusterHasItsOwnGroup() {
    assertThat(Set.of(Generation.groupId("demo", 0), Generation.groupId("demo", 1), Generation.groupId("demo", 2),
        Generation.groupId("other", 1))).hasSize(4);
  }

  @Test
  void aNodeLearnsTheNewestGenerationItsPeerRunsWithoutIt() {
    var peerGroups = Set.of(Generation.groupId("demo", 3), Generation.groupId("other", 7));
    assertThat(Generation.newerAt("demo", 1, peerGroups)).hasValue(3);
    assertThat(Generation.newerAt("demo", 3, peerGroups)).isEmpty();
    assertThat(Generation.newerAt("demo", 5, peerGroups)).isEmpty();
    assertThat(Generation.newerAt("demo", 0, Set.of(Generation.groupId("demo", 0)))).isEmpty();
  }

  @Test
  void withoutAFileANodeIsInGenerationZeroWithItsInitialPeers() throws Exception {
    assertThat(Generation.load(dir, List.of(A, B))).isEqualTo(new Generation(0, List.of(A, B)));
  }

  @Test
  void aSavedGenerationIsLoadedBack() throws Exception {
    new Generation(2, List.of(A)).save(dir);
    assertThat(Generation.load(dir, List.of(A, B))).isEqualTo(new Generation(2, List.of(A)));
  }

  @Test
  void anUnreadableFileIsAClearErrorNotGenerationZero() throws Exception {
    Files.writeString(dir.resolve(Generation.FILE), "{\"number\": -1, \"peers\": []}");
    assertThatThrownBy(() -> Generation.load(dir, List.of(A, B))).hasMessageContaining(Generation.FILE)
        .hasMessageContaining("unreadable raft generation").hasMessageContaining("must be >= 0");
  }
}
