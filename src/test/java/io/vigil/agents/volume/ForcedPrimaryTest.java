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
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code primary --force} on two real nodes in one JVM (loopback, real files): an Outdated copy is
 * refused without it (the refusal names the state, what --force does and what it costs); with it the
 * copy is Primary and UpToDate with a new generation, recorded in status and across a restart; when
 * the old Primary returns with writes of its own, the generations show a split brain (no data mixed),
 * and {@code resolve} settles it. Under a cluster (a fencer in use) the force deletes the copy's own
 * Outdated record and leaves the promotion to the cluster.
 */
class ForcedPrimaryTest {
  private static final LinkSecurity KEY = new LinkSecurity.SharedSecret(SharedKey.of("correct horse battery staple".getBytes()));
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;
  private NodePair pair;

  @AfterEach
  void stop() {
    if (pair != null) pair.close();
  }

  private static ByteBuffer block(int value) {
    byte[] b = new byte[64 * 1024];
    Arrays.fill(b, (byte) value);
    return ByteBuffer.wrap(b);
  }

  /** a Primary writes 1 at 0; b is cut off; a writes 2 at 1 MiB; b is told it is Outdated; a's node goes away. Returns a's generation. */
  private String staleCopyWhosePrimaryIsGone() throws Exception {
    pair = new NodePair(dir, 16L << 20, s -> s, KEY);
    pair.createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    await().atMost(WAIT).until(() -> pair.statusA().connection() == ConnectionState.CONNECTED
        && pair.statusB().connection() == ConnectionState.CONNECTED);
    VolumeEngine a = pair.nodeA.engine();
    a.promote().join();
    a.write(0, block(1), false).get(20, TimeUnit.SECONDS);
    pair.nodeB.engine().disconnect().join();
    await().atMost(WAIT).until(() -> pair.statusA().connection() != ConnectionState.CONNECTED);
    a.write(1 << 20, block(2), false).get(20, TimeUnit.SECONDS);
    a.flush().get(20, TimeUnit.SECONDS);
    String gen = pair.statusA().generations().substring(0, 16);
    assertThat(pair.nodeB.engine().request("outdate " + gen + " a").join()).isEqualTo("Outdated");
    pair.nodeA.close();
    pair.nodeA = null;
    return gen;
  }

  @Test
  void anOutdatedCopyIsForcedPrimaryOnlyOnRequestAndTheReturningPeersWritesShowAsSplitBrain() throws Exception {
    String genA = staleCopyWhosePrimaryIsGone();
    VolumeEngine b = pair.nodeB.engine();
    String genB = pair.statusB().generations().substring(0, 16);

    assertThatThrownBy(() -> b.request("primary").join()).hasMessageContaining("is Outdated on node 'b'")
        .hasMessageContaining("only an UpToDate copy can be promoted")
        .hasMessageContaining("'vigil volume primary mail --force' makes this copy UpToDate and Primary with a new generation")
        .hasMessageContaining("writes the peer acknowledged that this copy lacks are lost")
        .hasMessageContaining("split brain");
    assertThat(pair.statusB().disk()).isEqualTo(DiskState.OUTDATED);

    String reply = b.request("primary force").join();
    VolumeStatus sb = pair.statusB();
    String forcedGen = sb.generations().substring(0, 16);
    assertThat(reply).isEqualTo("Primary (forced: was Outdated, new generation " + forcedGen + ")");
    assertThat(sb.role()).isEqualTo(Role.PRIMARY);
    assertThat(sb.disk()).isEqualTo(DiskState.UP_TO_DATE);
    assertThat(forcedGen).isNotIn(genA, genB);
    assertThat(sb.generations()).as("the overridden generation is the bitmap generation").startsWith(forcedGen + ":" + genB);
    assertThat(sb.render()).contains("forced primary at ", "(was Outdated;");
    assertThat(b.request("outdate " + genA + " a").join()).as("a late repeat of the overridden record")
        .startsWith("not outdated");
    b.write(1 << 20, block(3), false).get(20, TimeUnit.SECONDS);
    b.flush().get(20, TimeUnit.SECONDS);

    // Restarted (a clean stop demotes): the forced record is in the metadata.
    pair.nodeB.close();
    pair.startB();
    assertThat(pair.statusB().render()).contains("forced primary at ", "(was Outdated;");
    assertThat(pair.statusB().generations()).startsWith(forcedGen);

    // a returns with its own writes of generation genA: a split brain (policy disconnect), nothing copied either way.
    pair.startA();
    await().atMost(WAIT).until(() -> pair.statusA().lastError().contains("split brain") && pair.statusB().lastError().contains("split brain"));
    assertThat(pair.statusA().connection()).isEqualTo(ConnectionState.STAND_ALONE);
    assertThat(pair.dataA()[1 << 20]).as("a keeps its own write").isEqualTo((byte) 2);
    assertThat(pair.dataB()[1 << 20]).as("b keeps its own write").isEqualTo((byte) 3);

    // The operator keeps the forced copy: a becomes its copy.
    assertThat(pair.nodeA.engine().request("resolve b").join()).startsWith("resolving: keeping b");
    await().atMost(WAIT).until(() -> pair.statusA().disk() == DiskState.UP_TO_DATE && pair.statusA().connection() == ConnectionState.CONNECTED);
    await().atMost(WAIT).until(() -> Arrays.equals(pair.dataA(), pair.dataB()));
    assertThat(pair.dataA()[0]).isEqualTo((byte) 1);
    assertThat(pair.dataA()[1 << 20]).isEqualTo((byte) 3);
  }

  @Test
  void underAClusterTheForceDeletesTheCopysOwnRecordAndLeavesThePromotionToTheCluster() throws Exception {
    String genA = staleCopyWhosePrimaryIsGone();
    VolumeEngine b = pair.nodeB.engine();
    List<String> calls = new CopyOnWriteArrayList<>();
    b.useFencer(new PeerFencer() {
      @Override
      public void outdate(String peerNode, long generation) {
        calls.add("outdate " + peerNode);
      }

      @Override
      public void clearMark(String node) {
        calls.add("clear " + node);
      }
    }, "a");
    assertThatThrownBy(() -> b.request("primary").join()).hasMessageContaining("makes this copy UpToDate (the cluster then promotes it)");

    String reply = b.request("primary force").join();
    assertThat(reply).startsWith("UpToDate (forced: was Outdated, new generation ").endsWith("which now promotes this copy");
    assertThat(calls).containsExactly("clear b");
    VolumeStatus sb = pair.statusB();
    assertThat(sb.role()).isEqualTo(Role.SECONDARY);
    assertThat(sb.disk()).isEqualTo(DiskState.UP_TO_DATE);
    assertThat(sb.render()).contains("forced primary at ");
    assertThat(b.request("outdate " + genA + " a").join()).as("the agent repeating the deleted record").startsWith("not outdated");
    assertThat(pair.statusB().disk()).isEqualTo(DiskState.UP_TO_DATE);

    // The cluster's promote: Primary, and (peer absent) it records the peer before acknowledging a write.
    b.request("primary").join();
    b.write(0, block(4), false).get(20, TimeUnit.SECONDS);
    assertThat(calls).containsExactly("clear b", "outdate a");
  }

  @Test
  void aForceIsRefusedWhileThePeerIsConnected() throws Exception {
    pair = new NodePair(dir, 16L << 20, s -> s, KEY);
    pair.createBoth(ZEROED, InitialData.SYNC_TARGET);
    pair.startA();
    pair.nodeA.engine().promote().join();
    pair.nodeA.engine().write(0, block(5), false).get(20, TimeUnit.SECONDS);
    pair.startB();
    await().atMost(WAIT).until(() -> pair.statusB().connection() == ConnectionState.CONNECTED
        || pair.statusB().connection() == ConnectionState.SYNC_TARGET);
    if (pair.statusB().disk() == DiskState.INCONSISTENT) {
      assertThatThrownBy(() -> pair.nodeB.engine().request("primary force").join())
          .hasMessageContaining("--force is only for a peer whose copy is lost for good").hasMessageContaining("nothing changed");
    }
    await().atMost(WAIT).until(() -> pair.statusB().disk() == DiskState.UP_TO_DATE);
    assertThatThrownBy(() -> pair.nodeB.engine().request("primary force").join()).as("UpToDate: a plain promotion, with its checks")
        .hasMessageContaining("peer 'a' is Primary");
  }

  @Test
  void anInconsistentCopyWhosePeerDiedMidResyncIsForcedAndTheRefusalNamesWhatTheResyncHadNotReached() throws Exception {
    pair = new NodePair(dir, 16L << 20, s -> new VolumeSettings(s.name(), s.node(), s.backing(), s.size(), s.regionSize(),
        s.activityLogRegions(), s.protocol(), s.splitBrain(), 1L << 20), KEY); // 1 MiB/s: the 16 MiB full sync takes seconds
    byte[] existing = new byte[16 << 20];
    Arrays.fill(existing, (byte) 9);
    java.nio.file.Files.write(pair.a.backing(), existing);
    pair.createBoth(InitialData.EXISTING_SOURCE, InitialData.SYNC_TARGET);
    pair.startA();
    pair.nodeA.engine().promote().join();
    pair.startB();
    await().atMost(WAIT).until(() -> pair.statusB().connection() == ConnectionState.SYNC_TARGET && pair.statusB().resyncBytes() > 0);
    pair.nodeA.close(); // the source is lost mid-resync
    pair.nodeA = null;
    await().atMost(WAIT).until(() -> pair.statusB().connection() != ConnectionState.SYNC_TARGET);
    VolumeEngine b = pair.nodeB.engine();
    assertThat(pair.statusB().disk()).isEqualTo(DiskState.INCONSISTENT);
    assertThatThrownBy(() -> b.request("primary").join()).hasMessageContaining("is Inconsistent on node 'b'")
        .hasMessageContaining("the resync had not reached yet (old data there)");
    assertThat(b.request("primary force").join()).startsWith("Primary (forced: was Inconsistent, new generation ");
    VolumeStatus sb = pair.statusB();
    assertThat(sb.role()).isEqualTo(Role.PRIMARY);
    assertThat(sb.disk()).isEqualTo(DiskState.UP_TO_DATE);
    assertThat(sb.outOfSyncBytes()).as("the regions not yet resynced stay marked").isPositive();
    assertThat(sb.render()).contains("(was Inconsistent;");
    b.write(0, block(6), false).get(20, TimeUnit.SECONDS); // the forced Primary serves writes
  }
}
