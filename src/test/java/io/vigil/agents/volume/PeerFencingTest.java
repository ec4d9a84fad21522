package io.vigil.agents.volume;

import static io.vigil.agents.volume.InitialData.ZEROED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.replication.LinkSecurity;
import io.vigil.agents.volume.replication.SharedKey;
import io.vigil.agents.volume.testing.NodePair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real nodes in one JVM on loopback: a Primary that loses its peer holds write acknowledgements
 * until its fencer has recorded the peer Outdated (and keeps holding them while that fails); the
 * Secondary, told so, is Outdated, refuses promotion and becomes UpToDate by a resync.
 */
class PeerFencingTest {
  private static final LinkSecurity KEY = new LinkSecurity.SharedSecret(SharedKey.of("correct horse battery staple".getBytes()));
  @TempDir Path dir;
  private NodePair pair;

  @AfterEach
  void stop() {
    if (pair != null) pair.close();
  }

  /** Fails its first call, then blocks each call until {@link #release} completes. */
  static final class GatedFencer implements PeerFencer {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    final CompletableFuture<Void> release = new CompletableFuture<>();

    @Override
    public void outdate(String peerNode, long generation) throws IOException {
      if (attempts.incrementAndGet() == 1) throw new IOException("no quorum (test)");
      release.join();
      calls.add(peerNode + " " + String.format("%016X", generation));
    }
  }

  private static ByteBuffer block(int value) {
    byte[] b = new byte[64 * 1024];
    Arrays.fill(b, (byte) value);
    return ByteBuffer.wrap(b);
  }

  @Test
  void aPrimaryWithoutItsPeerAcknowledgesNoWriteUntilThePeerIsRecordedOutdated() throws Exception {
    pair = new NodePair(dir, 16L << 20, s -> s, KEY);
    pair.createBoth(ZEROED, ZEROED);
    pair.startA();
    pair.startB();
    GatedFencer fencer = new GatedFencer();
    pair.nodeA.engine().useFencer(fencer, "b");
    await().atMost(Duration.ofSeconds(20)).until(() -> pair.statusA().connection() == ConnectionState.CONNECTED
        && pair.statusB().connection() == ConnectionState.CONNECTED);
    VolumeEngine a = pair.nodeA.engine();
    a.promote().join();
    a.write(0, block(1), false).join(); // connected: acknowledged by the peer, no fencing
    assertThat(fencer.attempts).hasValue(0);

    // The Secondary's link goes; a fences b, the first attempt fails, a write meanwhile is done locally but not acknowledged.
    pair.nodeB.engine().disconnect().join();
    await().atMost(Duration.ofSeconds(20)).until(() -> fencer.attempts.get() >= 1);
    CompletableFuture<Void> held = a.write(1 << 20, block(2), false);
    CompletableFuture<Void> heldFlush = a.flush();
    await().atMost(Duration.ofSeconds(20)).until(() -> pair.dataA()[1 << 20] == 2);
    await().atMost(Duration.ofSeconds(20)).until(() -> pair.statusA().lastError().contains("fencing peer 'b' failed"));
    await().atMost(Duration.ofSeconds(20)).until(() -> fencer.attempts.get() >= 2); // retried
    assertThat(held).as("acknowledged before b was recorded Outdated").isNotDone();
    assertThat(heldFlush).isNotDone();

    fencer.release.complete(null);
    held.get(20, java.util.concurrent.TimeUnit.SECONDS);
    heldFlush.get(20, java.util.concurrent.TimeUnit.SECONDS);
    String gen = pair.statusA().generations().substring(0, 16);
    assertThat(fencer.calls).containsExactly("b " + gen);
    assertThat(pair.statusA().lastError()).isEmpty();
    a.write(2 << 20, block(3), false).get(20, java.util.concurrent.TimeUnit.SECONDS); // recorded: no new fencing
    assertThat(fencer.calls).hasSize(1);

    // b, told by the cluster, is Outdated, says why and refuses promotion.
    VolumeEngine b = pair.nodeB.engine();
    assertThat(b.request("outdate " + gen + " a").join()).isEqualTo("Outdated");
    VolumeStatus sb = pair.statusB();
    assertThat(sb.disk()).isEqualTo(DiskState.OUTDATED);
    assertThat(sb.render()).contains("disk Outdated", "node 'a' wrote generation " + gen + " as Primary without this copy");
    assertThatThrownBy(() -> b.promote().join()).hasMessageContaining("is Outdated on node 'b'")
        .hasMessageContaining("wrote generation " + gen);

    // Reconnected: a is the source, b resyncs and is UpToDate with identical data.
    b.connect().join();
    await().atMost(Duration.ofSeconds(30)).until(() -> pair.statusB().disk() == DiskState.UP_TO_DATE
        && pair.statusB().connection() == ConnectionState.CONNECTED);
    assertThat(pair.statusB().generations()).startsWith(gen);
    a.flush().join();
    await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.equals(pair.dataA(), pair.dataB()));
    assertThat(b.request("outdate " + gen + " a").join()).as("holds the generation now").startsWith("not outdated");
  }
}
