package io.vigil.cluster.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The files of a node's Raft directory that generations leave behind: other groups' directories and old seeds. */
final class GroupDirs {
  private static final Logger LOG = LoggerFactory.getLogger(GroupDirs.class);

  private GroupDirs() {}

  /**
   * Ratis starts every group directory it finds under its storage directory: one of another
   * generation (a crash in the middle of a takeover or rejoin) must never run again, so it is moved
   * to {@link RaftNode#REMOVED_GROUPS} (not a UUID: Ratis ignores it) before the server starts.
   */
  static void retireOthers(Path raftDir, RaftGroupId current, long generation) throws IOException {
    String keep = current.getUuid().toString();
    try (var dirs = Files.list(raftDir)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        String name = d.getFileName().toString();
        if (name.equals(keep) || !isUuid(name)) continue;
        Path to = raftDir.resolve(RaftNode.REMOVED_GROUPS).resolve(name);
        Files.createDirectories(to.getParent());
        FileUtils.deleteFully(to);
        Files.move(d, to);
        LOG.warn("raft group directory {} is not this node's group (generation {}): moved to {}", d, generation, to);
      }
    }
  }

  /**
   * Deletes what a takeover or rejoin leaves behind once {@code generation} runs: the groups put
   * aside in {@link RaftNode#REMOVED_GROUPS} and the seeds of the other generations.
   */
  static void deleteLeftovers(Path raftDir, long generation) throws IOException {
    FileUtils.deleteFully(raftDir.resolve(RaftNode.REMOVED_GROUPS));
    String keep = Generation.seedFile(raftDir, generation).getFileName().toString();
    try (var files = Files.list(raftDir)) {
      for (Path f : files.toList()) {
        String n = f.getFileName().toString();
        if (n.startsWith("seed-") && !n.equals(keep)) Files.deleteIfExists(f);
      }
    }
  }

  private static boolean isUuid(String name) {
    try {
      UUID.fromString(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
