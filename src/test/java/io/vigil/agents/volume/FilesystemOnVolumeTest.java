package io.vigil.agents.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.control.ControlClient;
import io.vigil.agents.volume.testing.FreePorts;
import io.vigil.agents.volume.testing.MountedExport;
import io.vigil.agents.volume.testing.Proc;
import io.vigil.agents.volume.testing.ServeProcess;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
  private static final int RECORD = 4096;
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
        written.putAll(writeFiles(fs.root(), "first", random));
        fs.unmount();
        assertClean(fs);
      }

      // Switchover: a demotes (flushes), b promotes; the filesystem on b is the one written on a.
      assertOk(a.request("secondary"));
      assertOk(b.request("primary"));
      try (MountedExport fs = attach(b)) {
        assertClean(fs);
        fs.mount();
        assertThat(hashes(fs.root())).as("files written on a, read on b after the switchover").isEqualTo(written);
        written.putAll(writeFiles(fs.root(), "second", random));
        fs.unmount();
      }

      // b is killed (SIGKILL: no demotion, no flush); a, Connected until then, is promoted.
      b.kill9();
      await().atMost(Duration.ofSeconds(20)).until(() -> a.status().contains("connection Connecting"));
      assertOk(a.request("primary"));
      try (MountedExport fs = attach(a)) {
        assertClean(fs);
        fs.mount();
        assertThat(hashes(fs.root())).as("files written on a and b, read on a after b was killed").isEqualTo(written);
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
    Path script = dir.resolve("fs_ledger_writer.py");
    try (var in = getClass().getResourceAsStream("/volume/fs_ledger_writer.py")) {
      Files.write(script, in.readAllBytes());
    }
    int acksBeforeKill = 40 + new Random(seed).nextInt(160);
    try (ServeProcess a = serve("a", key, ports[0], ports[1], true); ServeProcess b = serve("b", key, ports[1], ports[0], false)) {
      awaitConnected(a, b);
      try (MountedExport fs = attach(a)) {
        fs.mkfs();
        fs.mount();
        Files.createDirectories(fs.root().resolve("log"));
        Process writer = new ProcessBuilder("/usr/bin/python3", script.toString(), fs.root().resolve("log/records").toString(),
            ledger.toString(), Long.toString(seed), "100000", "120").redirectErrorStream(true)
            .redirectOutput(dir.resolve("writer.log").toFile()).start();
        try {
          await().atMost(Duration.ofSeconds(120)).until(() -> acks(ledger) >= acksBeforeKill || !writer.isAlive());
          assertThat(writer.isAlive()).as("writer still appending (see %s)", dir.resolve("writer.log")).isTrue();
          a.kill9(); // the Primary dies with the writer's next append and fsync in flight
          // its next fsync fails (the export is gone), which ends it; SIGKILL if it is stuck
          if (!writer.waitFor(30, TimeUnit.SECONDS)) writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } finally {
          writer.destroyForcibly();
        }
      } // the dead export's mount, loop device and nbdfuse are torn down before b is mounted
      long acked = acks(ledger);
      System.out.println("primary killed after " + acked + " fsync'd records (" + acksBeforeKill + " awaited); writer: "
          + Files.readString(dir.resolve("writer.log")).strip());

      await().atMost(Duration.ofSeconds(20)).until(() -> b.status().contains("connection Connecting"));
      assertOk(b.request("primary"));
      try (MountedExport fs = attach(b)) {
        fs.mount(); // the kernel replays the ext4 journal
        byte[] records = Files.readAllBytes(fs.root().resolve("log/records"));
        assertThat((long) records.length).as("file size after the journal replay").isGreaterThanOrEqualTo(acked * RECORD);
        for (int i = 0; i < acked; i++) {
          assertThat(Arrays.equals(records, i * RECORD, (i + 1) * RECORD, record(seed, i), 0, RECORD))
              .as("record %d (fsync returned before the kill) intact on b", i).isTrue();
        }
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
    Path key = Files.writeString(dir.resolve("vol.key"), "fs-test-key-0123456789abcdef");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return key;
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

  /** Three directories of four files with random content (64 KiB to 512 KiB each), each file and directory fsync'd. */
  private static Map<String, String> writeFiles(Path root, String set, Random random) throws Exception {
    Map<String, String> hashes = new TreeMap<>();
    for (int d = 0; d < 3; d++) {
      Path sub = Files.createDirectories(root.resolve(set + "/dir" + d));
      for (int f = 0; f < 4; f++) {
        byte[] data = new byte[(64 << 10) + random.nextInt(448 << 10)];
        random.nextBytes(data);
        Path file = sub.resolve("file" + f + ".bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ch.write(java.nio.ByteBuffer.wrap(data));
          ch.force(true);
        }
        hashes.put(root.relativize(file).toString(), sha256(data));
      }
      fsyncDirectory(sub);
    }
    fsyncDirectory(root.resolve(set));
    fsyncDirectory(root);
    return hashes;
  }

  private static void fsyncDirectory(Path d) throws IOException {
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** SHA-256 of every regular file under {@code root} (lost+found aside), by relative path. */
  private static Map<String, String> hashes(Path root) throws Exception {
    Map<String, String> hashes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) hashes.put(root.relativize(f).toString(), sha256(Files.readAllBytes(f)));
    }
    return hashes;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** Record {@code i} as fs_ledger_writer.py writes it: SHA-256 of "seed:i" repeated to 4 KiB. */
  private static byte[] record(long seed, int i) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-256").digest((seed + ":" + i).getBytes(StandardCharsets.US_ASCII));
    byte[] block = new byte[RECORD];
    for (int k = 0; k < RECORD; k += h.length) System.arraycopy(h, 0, block, k, h.length);
    return block;
  }

  private static long acks(Path ledger) {
    try {
      return Files.exists(ledger) ? Files.readAllLines(ledger).stream().filter(l -> l.startsWith("ack ")).count() : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
