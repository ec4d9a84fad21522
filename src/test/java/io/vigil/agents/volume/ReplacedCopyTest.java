package io.vigil.agents.volume;

import static io.vigil.agents.volume.InitialData.ZEROED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.GenerationIds;
import io.vigil.agents.volume.replication.LinkSecurity;
import io.vigil.agents.volume.replication.SharedKey;
import io.vigil.agents.volume.testing.NodePair;
import io.vigil.agents.volume.testing.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh zero-filled copy (generation ZEROED) must mean "never written": two real nodes on loopback,
 * a Primary promoted while connected writes through NBD (qemu-io), then one node's copy is lost and
 * made again as a fresh zero-filled copy (what create or a first start without --init does on a
 * replaced disk). It must be overwritten from the survivor, not taken as identical.
 */
class ReplacedCopyTest {
  private static final long SIZE = 8L << 20;
  private static final LinkSecurity KEY = new LinkSecurity.SharedSecret(SharedKey.of("correct horse battery staple".getBytes()));

  @TempDir Path dir;
  private NodePair pair;

  @AfterEach
  void stop() {
    if (pair != null) pair.close();
  }

  private void awaitConnected() {
    await().atMost(Duration.ofSeconds(20)).until(() -> pair.statusA().connection() == ConnectionState.CONNECTED
        && pair.statusB().connection() == ConnectionState.CONNECTED);
  }

  @Test
  void promotionWhileConnectedLeavesTheZeroedGenerationOnBothCopiesBeforeTheFirstWrite() throws Exception {
    pair = new NodePair(dir, SIZE, s -> s, KEY);
    pair.createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    pair.nodeA.engine().promote().join();
    String gensA = pair.statusA().generations();
    assertThat(gensA).as("a's generations after its first promotion").doesNotStartWith(String.format("%016X", GenerationIds.ZEROED));
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.statusB().generations().equals(gensA));
  }

  @Test
  void aReplacedCopyMadeFreshIsResyncedInFullFromTheSurvivor() throws Exception {
    pair = new NodePair(dir, SIZE, s -> s, KEY);
    pair.createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    awaitConnected();
    pair.nodeA.engine().promote().join();
    Proc.ok(60, "qemu-io", "-f", "raw", pair.uri("a"), "-c", "write -P 0x5a 0 3M", "-c", "write -P 0x11 5M 1M", "-c", "flush");
    assertThat(Arrays.equals(pair.dataA(), pair.dataB())).isTrue();

    pair.nodeB.close(); // b's disk is lost and replaced: no metadata, no data
    pair.nodeB = null;
    Files.delete(pair.b.backing());
    Files.delete(pair.b.metadataPath());
    VolumeEngine.create(pair.b, ZEROED, Clock.systemUTC());
    pair.startB();

    await().atMost(Duration.ofSeconds(30)).until(() -> pair.statusB().disk() == DiskState.UP_TO_DATE
        && pair.statusB().connection() == ConnectionState.CONNECTED);
    assertThat(pair.statusB().resyncBytes()).as("bytes resynced to the replaced copy").isEqualTo(SIZE);
    assertThat(Arrays.equals(pair.dataA(), pair.dataB())).as("replaced copy equals the survivor").isTrue();
  }
}
