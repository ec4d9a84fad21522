package io.vigil.agents.volume.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the filesystem tests write through a mounted volume and check after a failover: files with
 * random content (by SHA-256) and a log of fsync'd 4 KiB records appended by a separate process
 * ({@code fs_ledger_writer.py}) that notes each record in a ledger only after its fsync returned.
 */
public final class FsContent {
  public static final int RECORD = 4096;

  private FsContent() {}

  /** Three directories of four files with random content (64 KiB to 512 KiB each), each file and directory fsync'd; SHA-256 by path. */
  public static Map<String, String> writeFiles(Path root, String set, Random random) throws IOException {
    Map<String, String> hashes = new TreeMap<>();
    for (int d = 0; d < 3; d++) {
      Path sub = Files.createDirectories(root.resolve(set + "/dir" + d));
      for (int f = 0; f < 4; f++) {
        byte[] data = new byte[(64 << 10) + random.nextInt(448 << 10)];
        random.nextBytes(data);
        Path file = sub.resolve("file" + f + ".bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer buf = ByteBuffer.wrap(data);
          while (buf.hasRemaining()) ch.write(buf);
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

  /** SHA-256 of every regular file under {@code dir} (relative to {@code root}), by relative path. */
  public static Map<String, String> hashes(Path root, Path dir) throws IOException {
    Map<String, String> hashes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) hashes.put(root.relativize(f).toString(), sha256(Files.readAllBytes(f)));
    }
    return hashes;
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts {@code fs_ledger_writer.py}: appends records to {@code file} (on the mounted volume), fsync
   * after each, "ack i" in {@code ledger} (elsewhere) after each fsync; bounded to 100,000 records and 120 s.
   */
  public static Process startRecordWriter(Path file, Path ledger, long seed, Path workDir) throws IOException {
    Path script = workDir.resolve("fs_ledger_writer.py");
    try (var in = FsContent.class.getResourceAsStream("/volume/fs_ledger_writer.py")) {
      Files.write(script, in.readAllBytes());
    }
    return new ProcessBuilder("/usr/bin/python3", script.toString(), file.toString(), ledger.toString(), Long.toString(seed), "100000", "120")
        .redirectErrorStream(true).redirectOutput(workDir.resolve("writer.log").toFile()).start();
  }

  /** Ends a writer whose filesystem lost its export: its next fsync fails; SIGKILL if it is stuck. */
  public static void awaitWriterEnd(Process writer) throws InterruptedException {
    if (!writer.waitFor(30, TimeUnit.SECONDS)) writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** The number of records whose fsync returned ("ack" lines of the ledger). */
  public static long acks(Path ledger) {
    try {
      return Files.exists(ledger) ? Files.readAllLines(ledger).stream().filter(l -> l.startsWith("ack ")).count() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Every one of the first {@code acked} records is in {@code file}, intact, at its place. */
  public static void assertRecords(Path file, long seed, long acked) throws IOException {
    byte[] records = Files.readAllBytes(file);
    assertThat((long) records.length).as("size of %s", file).isGreaterThanOrEqualTo(acked * RECORD);
    for (int i = 0; i < acked; i++) {
      assertThat(Arrays.equals(records, i * RECORD, (i + 1) * RECORD, record(seed, i), 0, RECORD))
          .as("record %d of %s (its fsync returned before the kill) intact", i, file).isTrue();
    }
  }

  /** Record {@code i} as fs_ledger_writer.py writes it: SHA-256 of "seed:i" repeated to 4 KiB. */
  static byte[] record(long seed, int i) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256").digest((seed + ":" + i).getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] block = new byte[RECORD];
    for (int k = 0; k < RECORD; k += h.length) System.arraycopy(h, 0, block, k, h.length);
    return block;
  }

  /** The writer's output (its last error), for the test's log. */
  public static String writerLog(Path workDir) throws IOException {
    List<String> lines = Files.readAllLines(workDir.resolve("writer.log"));
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
  }
}
