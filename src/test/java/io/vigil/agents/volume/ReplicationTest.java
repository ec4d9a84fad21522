package io.vigil.agents.volume;

import static io.vigil.agents.volume.InitialData.EXISTING_SOURCE;
import static io.vigil.agents.volume.InitialData.SYNC_TARGET;
import static io.vigil.agents.volume.InitialData.ZEROED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.Role;
import io.vigil.agents.volume.replication.LinkSecurity;
import io.vigil.agents.volume.replication.SharedKey;
import io.vigil.agents.volume.testing.FlippingProxy;
import io.vigil.agents.volume.testing.FreePorts;
import io.vigil.agents.volume.testing.NodePair;
import io.vigil.agents.volume.testing.Proc;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real nodes in one JVM on loopback, driven through real NBD clients (qemu-io, nbdinfo). */
class ReplicationTest {
  private static final long SIZE = 32L << 20;
  private static final int REGION = 64 * 1024;
  private static final LinkSecurity KEY = new LinkSecurity.SharedSecret(SharedKey.of("correct horse battery staple".getBytes()));

  @TempDir Path dir;
  private NodePair pair;

  @AfterEach
  void stop() {
    if (pair != null) pair.close();
  }

  private NodePair pair(LinkSecurity security) {
    return pair(security, FreePorts.sorted(2));
  }

  private NodePair pair(LinkSecurity security, int[] ports) {
    pair = new NodePair(dir, SIZE, s -> new VolumeSettings(s.name(), s.node(), s.backing(), s.size(), REGION,
        s.activityLogRegions(), s.protocol(), s.splitBrain(), s.resyncRate()), security, ports);
    return pair;
  }

  private void awaitConnected() {
    await().atMost(Duration.ofSeconds(20)).until(() -> pair.statusA().connection() == ConnectionState.CONNECTED
        && pair.statusB().connection() == ConnectionState.CONNECTED);
  }

  private void qemuIo(String node, String... commands) {
    String[] cmd = new String[4 + 2 * commands.length];
    cmd[0] = "qemu-io";
    cmd[1] = "-f";
    cmd[2] = "raw";
    cmd[3] = pair.uri(node);
    for (int i = 0; i < commands.length; i++) {
      cmd[4 + 2 * i] = "-c";
      cmd[5 + 2 * i] = commands[i];
    }
    Proc.ok(60, cmd);
  }

  @Test
  void freshZeroedPairIsUpToDateOnBothSidesWithoutAnySync() throws Exception {
    pair(KEY).createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    VolumeStatus a = pair.statusA();
    assertThat(a.disk()).isEqualTo(DiskState.UP_TO_DATE);
    assertThat(a.peerDisk()).isEqualTo(DiskState.UP_TO_DATE);
    assertThat(a.resyncBytes()).isZero();
    assertThat(pair.statusB().resyncBytes()).isZero();
  }

  @Test
  void writesThroughNbdOnThePrimaryAreOnTheSecondaryWhenAcknowledged() throws Exception {
    pair(KEY).createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    pair.nodeA.engine().promote().join();
    byte[] random = new byte[4 << 20];
    new Random(1).nextBytes(random);
    Path src = Files.write(dir.resolve("random.bin"), random);
    Proc.ok(60, "nbdcopy", src.toString(), pair.uri("a"));
    qemuIo("a", "write -P 0x5a 8M 1M", "write -z 9M 64k", "write -f -P 0x77 20000000 4096", "flush");
    // Protocol C: every acknowledged write is already in b's file, no waiting.
    byte[] a = pair.dataA();
    byte[] b = pair.dataB();
    assertThat(Arrays.mismatch(Arrays.copyOf(a, random.length), random)).as("first difference on a").isEqualTo(-1);
    assertThat(Arrays.mismatch(Arrays.copyOf(b, random.length), random)).as("first difference on b").isEqualTo(-1);
    assertThat(b[8 << 20]).isEqualTo((byte) 0x5a);
    assertThat(Arrays.equals(a, b)).isTrue();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(io.vigil.agents.volume.replication.Protocol.class)
  void everyProtocolReplicatesOverlappingWritesInOrder(io.vigil.agents.volume.replication.Protocol protocol) throws Exception {
    pair = new NodePair(dir, SIZE, s -> new VolumeSettings(s.name(), s.node(), s.backing(), s.size(), REGION,
        s.activityLogRegions(), protocol, s.splitBrain(), s.resyncRate()), KEY);
    pair.createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    pair.nodeA.engine().promote().join();
    // Overlapping writes: only the order decides what the last one leaves behind.
    qemuIo("a", "write -P 0x01 0 1M", "write -P 0x02 4096 8192", "write -z 6144 1024", "write -P 0x03 1M 64k", "write -P 0x04 1040384 65536",
        "flush");
    await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.equals(pair.dataA(), pair.dataB()));
    byte[] b = pair.dataB();
    assertThat(b[4096]).isEqualTo((byte) 0x02);
    assertThat(b[6144]).isZero();
    assertThat(b[(1 << 20) + 10]).isEqualTo((byte) 0x04);
  }

  @Test
  void secondaryRefusesExportAndWrites() throws Exception {
    pair(KEY).createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    pair.nodeA.engine().promote().join();
    Proc.Result r = Proc.run(Map.of("LIBNBD_DEBUG", "1"), 30, "nbdinfo", pair.uri("b"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("volume 'mail' is Secondary on node 'b'; only the primary exports it");
    assertThatThrownBy(() -> pair.nodeB.engine().write(0, java.nio.ByteBuffer.wrap(new byte[512]), false).join())
        .isInstanceOf(CompletionException.class).hasMessageContaining("is Secondary on node 'b'");
    assertThatThrownBy(() -> pair.nodeB.engine().promote().join()).hasMessageContaining("peer 'a' is Primary")
        .hasMessageContaining("dual-primary is not supported");
  }

  @Test
  void disconnectWriteReconnectResyncsOnlyTheDirtyRegions() throws Exception {
    pair(KEY).createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    VolumeEngine a = pair.nodeA.engine();
    a.promote().join();
    a.disconnect().join();
    // Three regions touched: one write inside region 2, one spanning regions 10 and 11.
    qemuIo("a", "write -P 0x11 " + (2 * REGION + 100) + " 4096", "write -P 0x22 " + (11 * REGION - 2048) + " 4096", "flush");
    VolumeStatus before = pair.statusA();
    assertThat(before.connection()).isEqualTo(ConnectionState.STAND_ALONE);
    assertThat(before.outOfSyncBytes()).isEqualTo(3L * REGION);
    a.connect().join();
    awaitConnected();
    assertThat(pair.statusB().resyncBytes()).isEqualTo(3L * REGION);
    assertThat(pair.statusA().outOfSyncBytes()).isZero();
    assertThat(Arrays.equals(pair.dataA(), pair.dataB())).isTrue();
  }

  @Test
  void splitBrainIsDetectedAndResolvedManually() throws Exception {
    pair(KEY).createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    pair.nodeA.engine().promote().join();
    pair.nodeA.engine().disconnect().join();
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusB().connection() == ConnectionState.CONNECTING);
    qemuIo("a", "write -P 0xaa 0 64k");
    pair.nodeB.engine().promote().join(); // b believes a is gone
    qemuIo("b", "write -P 0xbb 1M 64k");
    pair.nodeA.engine().connect().join();
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusA().lastError().contains("split brain")
        || pair.statusA().lastError().contains("Primary"));
    // Both Primary is refused first (both go StandAlone); demote b and connect both: now the generations show split brain.
    pair.nodeB.engine().demote().join();
    pair.nodeB.engine().connect().join();
    pair.nodeA.engine().connect().join();
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusB().lastError().contains("split brain")
        && pair.statusA().connection() == ConnectionState.STAND_ALONE);
    assertThat(pair.statusA().lastError()).contains("split brain").contains("resolve");
    pair.nodeB.engine().resolve("a").join();
    pair.nodeA.engine().connect().join();
    pair.nodeB.engine().connect().join();
    awaitConnected();
    byte[] b = pair.dataB();
    assertThat(b[0]).isEqualTo((byte) 0xaa);
    assertThat(b[1 << 20]).isZero(); // b's own change was discarded
    assertThat(Arrays.equals(pair.dataA(), b)).isTrue();
  }

  @Test
  void verifyFindsASilentlyCorruptedRegionOnThePeerAndRepairsIt() throws Exception {
    pair(KEY).createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    pair.nodeA.engine().promote().join();
    qemuIo("a", "write -P 0x61 0 1M", "flush");
    try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(pair.b.backing().toFile(), "rw")) {
      raf.seek(5 * REGION + 17); // behind the engine's back: bit rot on b's disk
      raf.write(new byte[] {1, 2, 3});
    }
    assertThat(pair.nodeA.engine().verify().join()).contains("512 regions compared, 1 differed (64.0 KiB)");
    await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.equals(pair.dataA(), pair.dataB()));
    assertThat(pair.statusA().lastVerifyDiffBytes()).isEqualTo(REGION);
    assertThat(pair.statusA().lastVerifyMillis()).isPositive();
    assertThat(pair.nodeA.engine().verify().join()).contains("0 differed");
    assertThatThrownBy(() -> pair.nodeB.engine().verify().join()).hasMessageContaining("verify runs on the Primary");
  }

  @Test
  void resyncingSecondaryIsInconsistentAndCannotBePromoted() throws Exception {
    pair = new NodePair(dir, SIZE, s -> new VolumeSettings(s.name(), s.node(), s.backing(), s.size(), REGION,
        s.activityLogRegions(), s.protocol(), s.splitBrain(), 2L << 20), KEY);
    byte[] existing = new byte[(int) SIZE];
    new Random(3).nextBytes(existing);
    Files.write(pair.a.backing(), existing);
    pair.createBoth(EXISTING_SOURCE, SYNC_TARGET);
    pair.startA();
    pair.startB();
    await().atMost(Duration.ofSeconds(20)).until(() -> pair.statusB().connection() == ConnectionState.SYNC_TARGET);
    VolumeStatus b = pair.statusB();
    assertThat(b.disk()).isEqualTo(DiskState.INCONSISTENT);
    assertThatThrownBy(() -> pair.nodeB.engine().promote().join()).hasMessageContaining("Inconsistent")
        .hasMessageContaining("only an UpToDate copy can be promoted");
    // The source serves meanwhile.
    pair.nodeA.engine().promote().join();
    assertThat(pair.statusA().role()).isEqualTo(Role.PRIMARY);
  }

  @Test
  void fromSourceCopiesEverythingInTheBackground() throws Exception {
    pair(KEY);
    byte[] existing = new byte[(int) SIZE];
    new Random(4).nextBytes(existing);
    Files.write(pair.a.backing(), existing);
    pair.createBoth(EXISTING_SOURCE, SYNC_TARGET);
    pair.startA();
    pair.startB();
    awaitConnected();
    assertThat(pair.statusB().disk()).isEqualTo(DiskState.UP_TO_DATE);
    assertThat(pair.statusB().resyncBytes()).isEqualTo(SIZE);
    assertThat(Arrays.equals(pair.dataB(), existing)).isTrue();
  }

  @Test
  void peerWithAWrongKeyNeverConnects() throws Exception {
    pair(KEY);
    pair.securityB = new LinkSecurity.SharedSecret(SharedKey.of("a different secret!".getBytes()));
    pair.createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
        .until(() -> pair.statusA().connection() != ConnectionState.CONNECTED && pair.statusB().connection() != ConnectionState.CONNECTED);
  }

  private static LinkSecurity tls(Path dir, String node, String caPrefix) throws Exception {
    return io.vigil.agents.volume.replication.TlsFiles.load(dir.resolve(node + ".pem"), dir.resolve(node + ".key"),
        dir.resolve(caPrefix + "-ca.pem"));
  }

  @Test
  void mutualTlsWithCertificatesOfOneCaReplicates() throws Exception {
    io.vigil.agents.volume.testing.TestCerts.ca(dir, "cluster");
    io.vigil.agents.volume.testing.TestCerts.node(dir, "cluster", "a");
    io.vigil.agents.volume.testing.TestCerts.node(dir, "cluster", "b");
    pair(KEY);
    pair.securityA = tls(dir, "a", "cluster");
    pair.securityB = tls(dir, "b", "cluster");
    pair.createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    pair.nodeA.engine().promote().join();
    qemuIo("a", "write -P 0x3c 0 128k", "flush");
    assertThat(pair.dataB()[1000]).isEqualTo((byte) 0x3c);
  }

  @Test
  void peerWithACertificateFromAnotherCaNeverConnects() throws Exception {
    io.vigil.agents.volume.testing.TestCerts.ca(dir, "cluster");
    io.vigil.agents.volume.testing.TestCerts.ca(dir, "rogue");
    io.vigil.agents.volume.testing.TestCerts.node(dir, "cluster", "a");
    io.vigil.agents.volume.testing.TestCerts.node(dir, "rogue", "b");
    pair(KEY);
    pair.securityA = tls(dir, "a", "cluster");
    pair.securityB = tls(dir, "b", "cluster");
    pair.createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
        .until(() -> pair.statusA().connection() != ConnectionState.CONNECTED && pair.statusB().connection() != ConnectionState.CONNECTED);
  }

  @Test
  void bitFlipsOnThePlaintextWireAreCaughtByCrcAndResent() throws Exception {
    int[] ports = FreePorts.sorted(3);
    pair(new LinkSecurity.InsecurePlaintext(), ports);
    // a listens on the lowest port, so a dials: a -> proxy (highest port) -> b.
    try (FlippingProxy proxy = new FlippingProxy(ports[2], pair.listenB, 3, false, 0)) {
      pair.peerOfA = new InetSocketAddress("127.0.0.1", ports[2]);
      pair.createBoth(ZEROED, ZEROED);
      pair.startA();
      pair.startB();
      awaitConnected();
      pair.nodeA.engine().promote().join();
      qemuIo("a", "write -P 0x42 0 256k", "write -P 0x43 1M 64k", "flush");
      assertThat(proxy.flipped.get()).isEqualTo(3);
      assertThat(pair.statusB().crcErrors()).isEqualTo(3);
      assertThat(pair.statusA().resends()).isGreaterThanOrEqualTo(3);
      assertThat(Arrays.equals(pair.dataA(), pair.dataB())).isTrue();
    }
  }

  @Test
  @org.junit.jupiter.api.Tag("slow")
  void silentlyPartitionedPeerIsDroppedAndItsWritesTracked() throws Exception {
    int[] ports = FreePorts.sorted(3);
    pair(KEY, ports);
    try (FlippingProxy proxy = new FlippingProxy(ports[2], pair.listenB, 0, false, 0)) {
      pair.peerOfA = new InetSocketAddress("127.0.0.1", ports[2]);
      pair.createBoth(ZEROED, ZEROED);
      pair.startA();
      pair.startB();
      awaitConnected();
      pair.nodeA.engine().promote().join();
      proxy.blackHole = true;
      // Protocol C: this write waits for an ack that never comes until the link is declared dead.
      qemuIo("a", "write -P 0x55 0 64k");
      await().atMost(Duration.ofSeconds(20)).until(() -> pair.statusA().connection() != ConnectionState.CONNECTED);
      assertThat(pair.statusA().outOfSyncBytes()).isEqualTo(REGION);
    }
  }

  @Test
  void bitFlipsOnTheEncryptedWireBreakTheSessionAndResyncRepairs() throws Exception {
    int[] ports = FreePorts.sorted(3);
    pair(KEY, ports);
    try (FlippingProxy proxy = new FlippingProxy(ports[2], pair.listenB, 1, true, 3)) {
      pair.peerOfA = new InetSocketAddress("127.0.0.1", ports[2]);
      pair.createBoth(ZEROED, ZEROED);
      pair.startA();
      pair.startB();
      awaitConnected();
      pair.nodeA.engine().promote().join();
      qemuIo("a", "write -P 0x42 0 256k", "flush");
      assertThat(proxy.flipped.get()).isEqualTo(1);
      awaitConnected();
      await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.equals(pair.dataA(), pair.dataB()));
    }
  }

  /** Two fresh copies, connected, a promoted: the start of every "ZEROED means never written" case. */
  private void freshPairWithAPrimary() throws Exception {
    pair(KEY).createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    pair.nodeA.engine().promote().join();
  }

  @Test
  void promotionWhileConnectedLeavesTheZeroedGenerationOnBothCopiesBeforeTheFirstWrite() throws Exception {
    freshPairWithAPrimary();
    String gensA = pair.statusA().generations();
    assertThat(gensA).as("a's generations after its first promotion")
        .doesNotStartWith(String.format("%016X", io.vigil.agents.volume.meta.GenerationIds.ZEROED));
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusB().generations().equals(gensA));
  }

  /**
   * A fresh copy (ZEROED) must mean never written: one node's copy is lost after writes and made
   * again as a fresh zero-filled copy (what create or a first start without --init does on a
   * replaced disk). It is overwritten from the survivor in full, not taken as identical (before the
   * fix: 0 bytes resynced and zeros served).
   */
  @Test
  void aReplacedCopyMadeFreshIsResyncedInFullFromTheSurvivor() throws Exception {
    freshPairWithAPrimary();
    qemuIo("a", "write -P 0x5a 0 3M", "write -P 0x11 5M 1M", "flush");
    assertThat(Arrays.equals(pair.dataA(), pair.dataB())).isTrue();

    pair.nodeB.close(); // b's disk is lost and replaced: no metadata, no data
    pair.nodeB = null;
    Files.delete(pair.b.backing());
    Files.delete(pair.b.metadataPath());
    VolumeEngine.create(pair.b, ZEROED, java.time.Clock.systemUTC());
    pair.startB();

    await().atMost(Duration.ofSeconds(30)).until(() -> pair.statusB().disk() == DiskState.UP_TO_DATE
        && pair.statusB().connection() == ConnectionState.CONNECTED);
    assertThat(pair.statusB().resyncBytes()).as("bytes resynced to the replaced copy").isEqualTo(SIZE);
    assertThat(Arrays.equals(pair.dataA(), pair.dataB())).as("replaced copy equals the survivor").isTrue();
  }
}
