package io.vigil.cluster.daemon;

import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.WAIT;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.nbd;
import static io.vigil.cluster.daemon.VolumeFailoverThroughClusterTest.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.testing.FsContent;
import io.vigil.agents.volume.testing.MountedExport;
import io.vigil.agents.volume.testing.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ext4 on a {@code builtin:volume} run by three real daemons (the configuration of
 * {@link VolumeFailoverThroughClusterTest}): the test mounts the Primary's export (nbdfuse + loop
 * device, {@link MountedExport}; the cluster has no attach/mount step of its own yet), writes files
 * and appends fsync'd records; the Primary's node loses power while the appends run; after the
 * cluster fenced it and promoted the other copy, the test mounts that copy's export: the journal
 * replays, every file and every record whose fsync returned is there, e2fsck finds it clean.
 */
@Tag("slow")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VolumeFilesystemThroughClusterTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path root;

  @AfterEach
  void nothingLeftBehind() {
    assertThat(MountedExport.leftovers(root)).as("mounts, loop devices, nbdfuse processes under " + root).isEmpty();
  }

  @Test
  void aFilesystemWrittenOnThePrimaryUntilItsPowerLossMountsCleanOnThePromotedCopy() throws Exception {
    List<String> violations = new CopyOnWriteArrayList<>();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    long seed = 63;
    Path ledger = root.resolve("ledger.txt");
    try (LocalCluster cluster = new LocalCluster(root, VolumeFailoverThroughClusterTest.NODES)) {
      try {
        String[] ps = VolumeFailoverThroughClusterTest.formWithVolume(cluster, root, "", "filesystem test", poller, violations);
        String p = ps[0];
        String s = ps[1];
        Map<String, String> files;
        long acked;
        try (MountedExport fs = MountedExport.attach(nbd(cluster, p), root.resolve("fs-" + p))) {
          fs.mkfs();
          fs.mount();
          files = FsContent.writeFiles(fs.root(), "files", new Random(seed));
          Files.createDirectories(fs.root().resolve("log"));
          Process writer = FsContent.startRecordWriter(fs.root().resolve("log/records"), ledger, seed, root);
          try {
            await().atMost(WAIT).until(() -> FsContent.acks(ledger) >= 100 || !writer.isAlive());
            assertThat(writer.isAlive()).as("writer still appending (see %s)", root.resolve("writer.log")).isTrue();
            // Power loss of the Primary's node: its daemon and its volume process, at once.
            long volPid = VolumeFailoverThroughClusterTest.volumePid(cluster, p);
            cluster.procs.get(p).destroyForcibly();
            ProcessHandle.of(volPid).ifPresent(ProcessHandle::destroyForcibly);
            cluster.procs.get(p).waitFor();
            ProcessHandle.of(volPid).ifPresent(h -> h.onExit().join());
            FsContent.awaitWriterEnd(writer);
          } finally {
            writer.destroyForcibly();
          }
          acked = FsContent.acks(ledger);
          System.out.println(p + " lost power after " + acked + " fsync'd records; writer: " + FsContent.writerLog(root));
        } // p's mount, loop device and nbdfuse are gone before s's export is mounted

        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).alias("the cluster promotes " + s)
            .until(() -> role(cluster, s).startsWith("Primary UpToDate"));
        assertThat(Files.readString(root.resolve("fence-calls.log"))).contains("plug=" + p);
        try (MountedExport fs = MountedExport.attach(nbd(cluster, s), root.resolve("fs-" + s))) {
          fs.mount(); // the kernel replays the ext4 journal
          assertThat(FsContent.hashes(fs.root(), fs.root().resolve("files"))).as("files written on " + p + ", read on " + s)
              .isEqualTo(files);
          FsContent.assertRecords(fs.root().resolve("log/records"), seed, acked);
          fs.unmount();
          Proc.Result check = fs.fsck();
          assertThat(check.exit()).as("e2fsck -fn on %s's copy after the journal replay:\n%s", s, check.output()).isZero();
        }
        assertThat(violations).as("never two Primaries").isEmpty();
      } catch (Throwable t) {
        VolumeFailoverThroughClusterTest.printHistory(cluster);
        throw t;
      }
    } finally {
      poller.shutdownNow();
      for (String n : List.of("a", "b")) VolumeFailoverThroughClusterTest.killVolume(root.resolve(n));
    }
  }
}
