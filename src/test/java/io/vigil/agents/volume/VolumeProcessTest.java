package io.vigil.agents.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.control.ControlClient;
import io.vigil.agents.volume.testing.FreePorts;
import io.vigil.agents.volume.testing.Proc;
import io.vigil.agents.volume.testing.ServeProcess;
import io.vigil.agents.volume.testing.VolumeCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code vigil volume serve} processes on loopback: the primary is killed with SIGKILL while a
 * real NBD client (libnbd via nbdsh's Python module) writes, the secondary is promoted, and every
 * write acknowledged before the kill must be readable from it through NBD.
 */
class VolumeProcessTest {
  private static final int BLOCK = 4096;
  @TempDir Path dir;

  /**
   * Twenty kills (issue 6's count) when the whole suite runs (bin/test, CI); three in the default
   * suite ({@code mvn test}, which leaves out the tests tagged slow).
   */
  @Test
  void killedPrimaryLosesNoAcknowledgedWriteUnderProtocolC() throws Exception {
    boolean wholeSuite = !System.getProperty("vigil.excludedGroups", "").contains("slow");
    killRuns(wholeSuite ? 20 : 3, 1000);
  }

  @Test
  void cliShowsStatusAndRefusesClearly() throws Exception {
    Path key = VolumeCli.keyFile(dir.resolve("vol.key"), "another-test-key-0123456789");
    int[] ports = FreePorts.sorted(2);
    List<String> aArgs = new java.util.ArrayList<>(args(dir, key, ports[0], ports[1]));
    aArgs.add("--primary");
    try (ServeProcess a = new ServeProcess("a", dir, aArgs); ServeProcess b = new ServeProcess("b", dir, args(dir, key, ports[1], ports[0]))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> a.status().contains("connection Connected") && b.status().contains("connection Connected"));
      Proc.Result status = VolumeCli.run("status", "vol", "--control", b.control.toString());
      assertThat(status.exit()).isZero();
      assertThat(status.output()).contains("vol on b: role Secondary, disk UpToDate, connection Connected (peer a Primary/UpToDate)")
          .contains("protocol C, sync 100.0%, out of sync 0 B").contains("last verify never");
      Proc.Result promote = VolumeCli.run("primary", "vol", "--control", b.control.toString());
      assertThat(promote.exit()).isEqualTo(1);
      assertThat(promote.output()).contains("peer 'a' is Primary; demote it first (dual-primary is not supported)");
      Proc.Result nbd = Proc.run(Map.of("LIBNBD_DEBUG", "1"), 30, "nbdinfo", b.uri("vol"));
      assertThat(nbd.exit()).isNotZero();
      assertThat(nbd.output()).contains("volume 'vol' is Secondary on node 'b'; only the primary exports it");
      Proc.Result verify = VolumeCli.run("verify", "vol", "--control", a.control.toString());
      assertThat(verify.output()).contains("1024 regions compared, 0 differed");
      assertThat(VolumeCli.run("status", "vol", "--control", a.control.toString()).output()).doesNotContain("last verify never");
      Proc.Result noKey = VolumeCli.run("serve", "--name", "vol", "--backing", dir.resolve("x.img").toString(), "--size", "1M",
          "--listen", "127.0.0.1:1", "--peer", "127.0.0.1:2");
      assertThat(noKey.exit()).isNotZero();
      assertThat(noKey.output()).contains("needs --key-file FILE or --tls-cert/--tls-key/--tls-ca (plaintext is never the default)");
    }
  }

  @Test
  void everyCommandWorksFromTheSecondaryThroughTheCli() throws Exception {
    Path key = VolumeCli.keyFile(dir.resolve("vol.key"), "another-test-key-0123456789");
    int[] ports = FreePorts.sorted(2);
    List<String> aArgs = new java.util.ArrayList<>(args(dir, key, ports[0], ports[1]));
    aArgs.add("--primary");
    try (ServeProcess a = new ServeProcess("a", dir, aArgs); ServeProcess b = new ServeProcess("b", dir, args(dir, key, ports[1], ports[0]))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> a.status().contains("connection Connected") && b.status().contains("connection Connected"));
      String bCtl = b.control.toString();
      // verify on the Secondary runs on the Primary
      Proc.Result verify = VolumeCli.run("verify", "vol", "--control", bCtl);
      assertThat(verify.exit()).as(verify.output()).isZero();
      assertThat(verify.output()).contains("on the Primary 'a': 1024 regions compared, 0 differed");
      // shrink refused, grow from the Secondary: both copies, and a new NBD client sees it
      Proc.Result shrink = VolumeCli.run("resize", "vol", "--size", "32M", "--control", bCtl);
      assertThat(shrink.exit()).isEqualTo(1);
      assertThat(shrink.output()).contains("shrinking is not supported").contains("nothing changed");
      Proc.Result resize = VolumeCli.run("resize", "vol", "--size", "128M", "--control", bCtl);
      assertThat(resize.exit()).as(resize.output()).isZero();
      assertThat(resize.output()).contains("volume 'vol' is 128.0 MiB (134217728 bytes) on both nodes");
      assertThat(Proc.ok(30, "nbdinfo", "--size", a.uri("vol")).output().strip()).isEqualTo("134217728");
      assertThat(a.status()).contains("size 128.0 MiB");
      // disconnect from the Secondary, resize refused, connect from the Primary's side
      assertThat(VolumeCli.run("disconnect", "vol", "--control", bCtl).exit()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> a.status().contains("connection Connecting"));
      Proc.Result refused = VolumeCli.run("resize", "vol", "--size", "256M", "--control", a.control.toString());
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.output()).contains("resize needs both copies Connected and UpToDate");
      assertThat(VolumeCli.run("connect", "vol", "--control", a.control.toString()).output()).contains("peer: connecting");
      await().atMost(Duration.ofSeconds(30)).until(() -> a.status().contains("connection Connected") && b.status().contains("connection Connected"));
      // switch roles from the Secondary
      Proc.Result plain = VolumeCli.run("primary", "vol", "--control", bCtl);
      assertThat(plain.output()).contains("primary vol --switch");
      Proc.Result sw = VolumeCli.run("primary", "vol", "--switch", "--control", bCtl);
      assertThat(sw.exit()).as(sw.output()).isZero();
      assertThat(b.status()).contains("role Primary");
      assertThat(a.status()).contains("role Secondary");
      assertThat(Proc.ok(30, "nbdinfo", "--size", b.uri("vol")).output().strip()).isEqualTo("134217728");
    }
  }

  private void killRuns(int runs, long seed0) throws Exception {
    Random random = new Random(seed0);
    for (int run = 0; run < runs; run++) {
      killRun(dir.resolve("run-" + run), seed0 + run, 20 + random.nextInt(400));
    }
  }

  private List<String> args(Path d, Path key, int listen, int peer) {
    return List.of("--name", "vol", "--backing", d.resolve(listen + ".img").toString(), "--size", "64M",
        "--listen", "127.0.0.1:" + listen, "--peer", "127.0.0.1:" + peer, "--key-file", key.toString(), "--region-size", "64K");
  }

  private void killRun(Path d, long seed, int acksBeforeKill) throws Exception {
    Files.createDirectories(d);
    Path key = VolumeCli.keyFile(d.resolve("vol.key"), "test-key-" + seed + "-0123456789abcdef");
    int[] ports = FreePorts.sorted(2);
    Path ledger = d.resolve("ledger.txt");
    Path script = d.resolve("ledger_writer.py");
    try (var in = getClass().getResourceAsStream("/volume/ledger_writer.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> aArgs = new java.util.ArrayList<>(args(d, key, ports[0], ports[1]));
    aArgs.add("--primary");
    try (ServeProcess a = new ServeProcess("a", d, aArgs); ServeProcess b = new ServeProcess("b", d, args(d, key, ports[1], ports[0]))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> a.status().contains("role Primary") && a.status().contains("connection Connected")
          && b.status().contains("connection Connected"));
      Process writer = new ProcessBuilder("/usr/bin/python3", script.toString(), a.uri("vol"), ledger.toString(), Long.toString(seed),
          "1000000", Integer.toString(16 << 20)).redirectErrorStream(true).redirectOutput(d.resolve("writer.log").toFile()).start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> ackCount(ledger) >= acksBeforeKill || !writer.isAlive());
        assertThat(writer.isAlive()).as("writer still running (see %s)", d.resolve("writer.log")).isTrue();
        a.kill9();
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        writer.destroyForcibly();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> b.status().contains("connection Connecting"));
      ControlClient.Reply promoted = b.request("primary");
      assertThat(promoted.ok()).as(promoted.text()).isTrue();
      Path out = d.resolve("readback.img");
      Proc.ok(60, "nbdcopy", b.uri("vol"), out.toString());
      byte[] readBack = Files.readAllBytes(out);
      verifyLedger(Files.readAllLines(ledger), readBack, seed);
      // The killed primary rejoins as Secondary: its activity log marks what it may have written alone,
      // and it resyncs from the promoted node until both copies are identical.
      try (ServeProcess again = new ServeProcess("a", d, args(d, key, ports[0], ports[1]))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> again.status().contains("disk UpToDate, connection Connected")
            && b.status().contains("connection Connected"));
        assertThat(again.status()).contains("role Secondary");
        assertThat(Arrays.equals(Files.readAllBytes(d.resolve(ports[0] + ".img")), Files.readAllBytes(d.resolve(ports[1] + ".img"))))
            .as("rejoined primary's copy equals the promoted node's").isTrue();
      }
    }
  }

  private static long ackCount(Path ledger) {
    try {
      return Files.exists(ledger) ? Files.readAllLines(ledger).stream().filter(l -> l.startsWith("ack ")).count() : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  static byte[] pattern(long seed, int i) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-256").digest((seed + ":" + i).getBytes(StandardCharsets.US_ASCII));
    byte[] block = new byte[BLOCK];
    for (int k = 0; k < BLOCK; k += h.length) System.arraycopy(h, 0, block, k, h.length);
    return block;
  }

  /** Every offset holds its last acknowledged block, or the one write in flight at the kill (never a mix). */
  private static void verifyLedger(List<String> lines, byte[] data, long seed) throws Exception {
    Map<Long, Integer> lastAck = new HashMap<>();
    long inflightOffset = -1;
    int inflightIndex = -1;
    for (String line : lines) {
      String[] w = line.split(" ");
      if (w.length != 3) continue; // a torn last line of the ledger itself
      int i = Integer.parseInt(w[1]);
      long off = Long.parseLong(w[2]);
      if (w[0].equals("intent")) {
        inflightOffset = off;
        inflightIndex = i;
      } else {
        lastAck.put(off, i);
        inflightOffset = -1;
      }
    }
    assertThat(lastAck).isNotEmpty();
    for (Map.Entry<Long, Integer> e : lastAck.entrySet()) {
      int off = (int) (long) e.getKey();
      byte[] actual = Arrays.copyOfRange(data, off, off + BLOCK);
      boolean acked = Arrays.equals(actual, pattern(seed, e.getValue()));
      boolean inflight = off == inflightOffset && Arrays.equals(actual, pattern(seed, inflightIndex));
      assertThat(acked || inflight).as("block at %d holds write #%d (acknowledged) after failover", off, e.getValue()).isTrue();
    }
  }
}
