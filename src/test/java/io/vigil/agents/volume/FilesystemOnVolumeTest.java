package io.vigil.agents.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.control.ControlClient;
import io.vigil.agents.volume.testing.FreePorts;
import io.vigil.agents.volume.testing.FsContent;
import io.vigil.agents.volume.testing.MountedExport;
import io.vigil.agents.volume.testing.Proc;
import io.vigil.agents.volume.testing.ServeProcess;
import io.vigil.agents.volume.testing.VolumeCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real kernel ext4 on the replicated volume: two {@code vigil volume serve} processes, the Primary's
 * NBD export made a block device with nbdfuse and a loop device ({@link MountedExport}), files written
 * and fsync'd through the mounted filesystem; after a demotion, a SIGKILL of an idle Primary, and a
 * SIGKILL of a Primary in the middle of fsync'd appends, the promoted copy's filesystem is clean for
 * e2fsck (after the kernel's journal replay, where there was one) and holds every file and every record
 * whose fsync returned.
 */
@Tag("slow")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FilesystemOnVolumeTest {
  @TempDir Path dir;
  private int attachments;

  @AfterEach
  void nothingLeftBehind() {
    assertThat(MountedExport.leftovers(dir)).as("mounts, loop devices, nbdfuse processes under " + dir).isEmpty();
  }

  @Test
  void filesWrittenThroughExt4SurviveADemotionAndAKilledPrimary() throws Exception {
    Path key = key();
    int[] ports = FreePorts.sorted(2);
    Random random = new Random(61);
    Map<String, String> written = new TreeMap<>();
    try (ServeProcess a = serve("a", key, ports[0], ports[1], true); ServeProcess b = serve("b", key, ports[1], ports[0], false)) {
      awaitConnected(a, b);
      try (MountedExport fs = attach(a)) {
        fs.mkfs();
        fs.mount();
        written.putAll(FsContent.writeFiles(fs.root(), "first", random));
        fs.unmount();
        assertClean(fs);
      }

      // Switchover: a demotes (flushes), b promotes; the filesystem on b is the one written on a.
      assertOk(a.request("secondary"));
      assertOk(b.request("primary"));
      try (MountedExport fs = attach(b)) {
        assertClean(fs);
        fs.mount();
        assertThat(FsContent.hashes(fs.root(), fs.root())).as("files written on a, read on b after the switchover").isEqualTo(written);
        written.putAll(FsContent.writeFiles(fs.root(), "second", random));
        fs.unmount();
      }

      // b is killed (SIGKILL: no demotion, no flush); a, Connected until then, is promoted.
      b.kill9();
      await().atMost(Duration.ofSeconds(20)).until(() -> a.status().contains("connection Connecting"));
      assertOk(a.request("primary"));
      try (MountedExport fs = attach(a)) {
        assertClean(fs);
        fs.mount();
        assertThat(FsContent.hashes(fs.root(), fs.root())).as("files written on a and b, read on a after b was killed").isEqualTo(written);
        fs.unmount();
      }
    }
  }

  @Test
  void recordsFsyncedBeforeThePrimaryIsKilledMidWriteAreOnThePromotedCopy() throws Exception {
    Path key = key();
    int[] ports = FreePorts.sorted(2);
    long seed = 62;
    Path ledger = dir.resolve("ledger.txt");
    int acksBeforeKill = 40 + new Random(seed).nextInt(160);
    try (ServeProcess a = serve("a", key, ports[0], ports[1], true); ServeProcess b = serve("b", key, ports[1], ports[0], false)) {
      awaitConnected(a, b);
      try (MountedExport fs = attach(a)) {
        fs.mkfs();
        fs.mount();
        Files.createDirectories(fs.root().resolve("log"));
        Process writer = FsContent.startRecordWriter(fs.root().resolve("log/records"), ledger, seed, dir);
        try {
          await().atMost(Duration.ofSeconds(120)).until(() -> FsContent.acks(ledger) >= acksBeforeKill || !writer.isAlive());
          assertThat(writer.isAlive()).as("writer still appending (see %s)", dir.resolve("writer.log")).isTrue();
          a.kill9(); // the Primary dies with the writer's next append and fsync in flight
          FsContent.awaitWriterEnd(writer);
        } finally {
          writer.destroyForcibly();
        }
      } // the dead export's mount, loop device and nbdfuse are torn down before b is mounted
      long acked = FsContent.acks(ledger);
      System.out.println("primary killed after " + acked + " fsync'd records (" + acksBeforeKill + " awaited); writer: "
          + FsContent.writerLog(dir));

      await().atMost(Duration.ofSeconds(20)).until(() -> b.status().contains("connection Connecting"));
      assertOk(b.request("primary"));
      try (MountedExport fs = attach(b)) {
        fs.mount(); // the kernel replays the ext4 journal
        FsContent.assertRecords(fs.root().resolve("log/records"), seed, acked);
        fs.unmount();
        assertClean(fs);
      }
    }
  }

  private MountedExport attach(ServeProcess p) throws IOException {
    return MountedExport.attach(p.uri("vol"), dir.resolve("fs-" + p.node + "-" + attachments++));
  }

  private static void assertClean(MountedExport fs) {
    Proc.Result check = fs.fsck();
    assertThat(check.exit()).as("e2fsck -fn %s:\n%s", fs.device(), check.output()).isZero();
  }

  private static void assertOk(ControlClient.Reply reply) {
    assertThat(reply).isNotNull();
    assertThat(reply.ok()).as(reply.text()).isTrue();
  }

  private Path key() throws IOException {
    return VolumeCli.keyFile(dir.resolve("vol.key"), "fs-test-key-0123456789abcdef");
  }

  private ServeProcess serve(String node, Path key, int listen, int peer, boolean primary) throws IOException {
    List<String> args = new ArrayList<>(List.of("--name", "vol", "--backing", dir.resolve(node + ".img").toString(), "--size", "64M",
        "--listen", "127.0.0.1:" + listen, "--peer", "127.0.0.1:" + peer, "--key-file", key.toString(), "--region-size", "64K"));
    if (primary) args.add("--primary");
    return new ServeProcess(node, dir, args);
  }

  private static void awaitConnected(ServeProcess a, ServeProcess b) {
    await().atMost(Duration.ofSeconds(30)).until(() -> a.status().contains("role Primary") && a.status().contains("connection Connected")
        && b.status().contains("connection Connected"));
  }
}
