package io.vigil.agents.volume;

import static io.vigil.agents.volume.InitialData.ZEROED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.Role;
import io.vigil.agents.volume.replication.LinkSecurity;
import io.vigil.agents.volume.replication.SharedKey;
import io.vigil.agents.volume.testing.NodePair;
import io.vigil.agents.volume.testing.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code vigil volume} request run on either node (through {@link VolumeEngine#request}, the
 * control socket's entry point), with two real nodes on loopback: what needs the other node goes
 * over the volume's authenticated link; resize grows both copies and a new NBD client (nbdinfo)
 * sees the new size.
 */
class AnyNodeCommandsTest {
  private static final long SIZE = 16L << 20;
  private static final int REGION = 64 * 1024;
  private static final LinkSecurity KEY = new LinkSecurity.SharedSecret(SharedKey.of("correct horse battery staple".getBytes()));

  @TempDir Path dir;
  private NodePair pair;

  @AfterEach
  void stop() {
    if (pair != null) pair.close();
  }

  private void start(long resyncRate) throws Exception {
    pair = new NodePair(dir, SIZE, s -> new VolumeSettings(s.name(), s.node(), s.backing(), s.size(), REGION,
        s.activityLogRegions(), s.protocol(), s.splitBrain(), resyncRate), KEY);
    pair.createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    pair.nodeA.engine().promote().join();
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusB().peerRole() == Role.PRIMARY);
  }

  private void awaitConnected() {
    await().atMost(Duration.ofSeconds(20)).until(() -> pair.statusA().connection() == ConnectionState.CONNECTED
        && pair.statusB().connection() == ConnectionState.CONNECTED);
  }

  private static String on(VolumeNode node, String request) {
    return node.engine().request(request).join();
  }

  private long nbdSize(String node) {
    return Long.parseLong(Proc.ok(30, "nbdinfo", "--size", pair.uri(node)).output().strip());
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
  void resizeFromTheSecondaryGrowsBothCopiesAndNewNbdClientsSeeTheNewSize() throws Exception {
    start(VolumeSettings.DEFAULT_RESYNC_RATE);
    assertThat(nbdSize("a")).isEqualTo(SIZE);
    long grown = 3 * SIZE;
    String reply = on(pair.nodeB, "resize " + grown);
    assertThat(reply).contains("on both nodes");
    assertThat(pair.statusA().size()).isEqualTo(grown);
    assertThat(pair.statusB().size()).isEqualTo(grown);
    assertThat(Files.size(pair.a.backing())).isEqualTo(grown);
    assertThat(Files.size(pair.b.backing())).isEqualTo(grown);
    assertThat(nbdSize("a")).isEqualTo(grown);
    // The new area replicates (protocol C: in b's file when acknowledged)...
    qemuIo("a", "write -P 0x6b " + (grown - 8192) + " 4096", "flush");
    assertThat(pair.dataB()[(int) grown - 8192]).isEqualTo((byte) 0x6b);
    // ...and the bitmap covers it: changes there while disconnected resync exactly their region.
    on(pair.nodeA, "disconnect");
    qemuIo("a", "write -P 0x7c " + (grown - REGION) + " 512", "flush");
    assertThat(pair.statusA().outOfSyncBytes()).isEqualTo(REGION);
    on(pair.nodeB, "connect"); // from the other node: a is StandAlone and is told over the link
    awaitConnected();
    assertThat(pair.statusB().resyncBytes()).isEqualTo(REGION);
    assertThat(Arrays.equals(pair.dataA(), pair.dataB())).isTrue();
    // The metadata is authoritative across restarts, even with the old configured size.
    pair.nodeB.close();
    pair.nodeB = null;
    pair.startB();
    awaitConnected();
    assertThat(pair.statusB().size()).isEqualTo(grown);
  }

  @Test
  void resizeFromThePrimaryToAMuchLargerSizeMovesTheMetadataIntoLargerSlots() throws Exception {
    start(VolumeSettings.DEFAULT_RESYNC_RATE);
    long big = 8L << 30; // sparse files; 131072 regions: the bitmap outgrows the metadata slots made for 16 MiB
    long metaBefore = Files.size(pair.a.metadataPath());
    assertThat(on(pair.nodeA, "resize " + big)).contains("on both nodes");
    assertThat(pair.statusB().size()).isEqualTo(big);
    assertThat(nbdSize("a")).isEqualTo(big);
    assertThat(Files.size(pair.a.metadataPath())).isGreaterThan(metaBefore);
    assertThat(Files.size(pair.b.metadataPath())).isGreaterThan(metaBefore);
    qemuIo("a", "write -P 0x5e " + (big - 4096) + " 4096", "flush");
    pair.nodeA.close(); // reopen from the replaced metadata file
    pair.nodeA = null;
    pair.startA();
    awaitConnected();
    assertThat(pair.statusA().size()).isEqualTo(big);
    assertThat(pair.statusA().outOfSyncBytes()).isZero();
  }

  @Test
  void shrinkingIsRefusedAndChangesNothing() throws Exception {
    start(VolumeSettings.DEFAULT_RESYNC_RATE);
    assertThatThrownBy(() -> on(pair.nodeB, "resize " + SIZE / 2)).hasMessageContaining("shrinking is not supported")
        .hasMessageContaining("nothing changed");
    assertThat(pair.statusA().size()).isEqualTo(SIZE);
    assertThat(Files.size(pair.b.backing())).isEqualTo(SIZE);
  }

  @Test
  void resizeIsRefusedWhileDisconnectedOnEitherNodeAndChangesNothing() throws Exception {
    start(VolumeSettings.DEFAULT_RESYNC_RATE);
    on(pair.nodeB, "disconnect");
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusA().connection() != ConnectionState.CONNECTED);
    for (VolumeNode n : new VolumeNode[] {pair.nodeA, pair.nodeB}) {
      assertThatThrownBy(() -> on(n, "resize " + 2 * SIZE)).hasMessageContaining("resize needs both copies Connected and UpToDate")
          .hasMessageContaining("nothing changed");
    }
    assertThat(Files.size(pair.a.backing())).isEqualTo(SIZE);
    assertThat(Files.size(pair.b.backing())).isEqualTo(SIZE);
    assertThat(pair.statusA().size()).isEqualTo(SIZE);
    assertThat(nbdSize("a")).isEqualTo(SIZE);
  }

  @Test
  void resizeIsRefusedWhileResyncing() throws Exception {
    start(1L << 20); // 1 MiB/s: the 4 MiB resync below takes seconds
    on(pair.nodeA, "disconnect");
    qemuIo("a", "write -P 0x33 0 4M", "flush");
    on(pair.nodeA, "connect");
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusB().connection() == ConnectionState.SYNC_TARGET);
    assertThatThrownBy(() -> on(pair.nodeB, "resize " + 2 * SIZE)).hasMessageContaining("SyncTarget")
        .hasMessageContaining("nothing changed");
    assertThatThrownBy(() -> on(pair.nodeA, "resize " + 2 * SIZE)).hasMessageContaining("nothing changed");
    assertThat(Files.size(pair.b.backing())).isEqualTo(SIZE);
    assertThat(pair.statusB().disk()).isEqualTo(DiskState.INCONSISTENT);
  }

  @Test
  void verifyOnTheSecondaryRunsOnThePrimary() throws Exception {
    start(VolumeSettings.DEFAULT_RESYNC_RATE);
    qemuIo("a", "write -P 0x44 1M 64k", "flush");
    String reply = on(pair.nodeB, "verify");
    assertThat(reply).startsWith("on the Primary 'a': ").contains((SIZE / REGION) + " regions compared, 0 differed");
    assertThat(on(pair.nodeB, "status")).contains("role Secondary").contains("peer a Primary/UpToDate");
  }

  @Test
  void primarySwitchFromTheSecondaryDemotesThePeerFirst() throws Exception {
    start(VolumeSettings.DEFAULT_RESYNC_RATE);
    assertThatThrownBy(() -> on(pair.nodeB, "primary")).hasMessageContaining("--switch");
    assertThat(on(pair.nodeB, "primary switch")).isEqualTo("Primary");
    assertThat(pair.statusB().role()).isEqualTo(Role.PRIMARY);
    assertThat(pair.statusA().role()).isEqualTo(Role.SECONDARY);
    assertThat(nbdSize("b")).isEqualTo(SIZE);
  }

  @Test
  void disconnectAndConnectWorkFromEitherNode() throws Exception {
    start(VolumeSettings.DEFAULT_RESYNC_RATE);
    on(pair.nodeB, "disconnect");
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusA().connection() == ConnectionState.CONNECTING);
    assertThat(pair.statusB().connection()).isEqualTo(ConnectionState.STAND_ALONE);
    assertThat(on(pair.nodeA, "connect")).contains("peer: connecting");
    awaitConnected();
  }

  @Test
  void splitBrainIsResolvedFromOneNode() throws Exception {
    start(VolumeSettings.DEFAULT_RESYNC_RATE);
    on(pair.nodeA, "disconnect");
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusB().connection() == ConnectionState.CONNECTING);
    qemuIo("a", "write -P 0xaa 0 64k");
    on(pair.nodeB, "primary");
    qemuIo("b", "write -P 0xbb 1M 64k");
    on(pair.nodeB, "secondary");
    on(pair.nodeA, "connect");
    // connect on a also enabled b ("peer: connecting"); the handshake refuses the split brain on both sides.
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusA().lastError().contains("split brain")
        && pair.statusB().lastError().contains("split brain") && pair.statusA().connection() == ConnectionState.STAND_ALONE);
    // One command on b resolves it: a (StandAlone) is told over the link, marks a and connects.
    assertThat(on(pair.nodeB, "resolve a")).contains("keeping a").contains("peer: keeping a");
    awaitConnected();
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusB().disk() == DiskState.UP_TO_DATE);
    byte[] b = pair.dataB();
    assertThat(b[0]).isEqualTo((byte) 0xaa);
    assertThat(b[1 << 20]).isZero();
    assertThat(Arrays.equals(pair.dataA(), b)).isTrue();
  }
}
