package io.vigil.cluster.raft;

import com.fasterxml.jackson.core.type.TypeReference;
import io.vigil.cluster.state.Codec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * Which Raft group a node belongs to: generation 0 is the group every cluster starts with; a
 * two-node takeover moves the cluster to generation n+1 (a new group, id derived from the cluster
 * name and n+1). Stored durably in {@code raft/generation.json} before the new group starts, so a
 * crash at any step restarts in the right group; absent means generation 0.
 *
 * @param number the generation, >= 0
 * @param peers the group's members at its first start (later changes live in the Raft log)
 */
public record Generation(long number, List<Peer> peers) {
  public static final String FILE = "generation.json";
  /** How far ahead of its own generation a node looks for its peer's (a peer is at most a few takeovers ahead). */
  static final int LOOKAHEAD = 1_000;

  public Generation {
    if (number < 0) throw new IllegalArgumentException("raft generation must be >= 0, got " + number);
    peers = List.copyOf(peers);
  }

  /** The group id of {@code generation}: generation 0 keeps the id clusters always had. */
  public static RaftGroupId groupId(String clusterName, long generation) {
    String name = generation == 0 ? "vigil-cluster:" + clusterName : "vigil-cluster:" + clusterName + ":generation:" + generation;
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The newest generation of {@code clusterName} newer than {@code own} among the groups a peer
   * hosts, if any: the cluster moved on without this node.
   */
  public static OptionalLong newerAt(String clusterName, long own, Set<RaftGroupId> peerGroups) {
    OptionalLong found = OptionalLong.empty();
    for (long n = own + 1; n <= own + LOOKAHEAD; n++) {
      if (peerGroups.contains(groupId(clusterName, n))) found = OptionalLong.of(n);
    }
    return found;
  }

  /** The stored generation under {@code raftDir}, or generation 0 with {@code initialPeers}. */
  public static Generation load(Path raftDir, List<Peer> initialPeers) throws IOException {
    Path f = raftDir.resolve(FILE);
    if (!Files.isRegularFile(f)) return new Generation(0, initialPeers);
    try {
      return Codec.json().readValue(f.toFile(), new TypeReference<Generation>() {});
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(f + ": unreadable raft generation (expected {\"number\": n, \"peers\": [...]}): " + e.getMessage(), e);
    }
  }

  /** Writes this generation durably ({@link DurableFile}). */
  public void save(Path raftDir) throws IOException {
    DurableFile.write(raftDir.resolve(FILE), Codec.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
  }

  /** Where the state a takeover seeds generation {@code number} with is kept. */
  static Path seedFile(Path raftDir, long number) {
    return raftDir.resolve("seed-" + number + ".state");
  }

}
