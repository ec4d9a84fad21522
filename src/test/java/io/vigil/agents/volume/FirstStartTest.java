package io.vigil.agents.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.agents.volume.FirstStart.PeerCopy;
import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.GenerationIds;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The pure decision of a node that has no copy yet and no --init, from the peer's answer. */
class FirstStartTest {
  private static final long SIZE = 16L << 20;
  private static final VolumeSettings B = VolumeSettings.defaults("mail", "b", Path.of("/srv/mail.img"), SIZE);
  private static final long DATA = 0x5B1E_0000_1234_5678L;

  private static FirstStart.Decision decide(boolean backingExists, PeerCopy peer) {
    return FirstStart.decide(B, backingExists, peer, peer == null ? "connection refused" : null);
  }

  @Test
  void aFreshZeroFilledPeerMakesAFreshZeroFilledCopy() {
    assertThat(decide(false, new PeerCopy(DiskState.UP_TO_DATE, GenerationIds.ZEROED, SIZE)).initial()).isEqualTo(InitialData.ZEROED);
  }

  @Test
  void aPeerWithDataMakesASyncTarget() {
    assertThat(decide(false, new PeerCopy(DiskState.UP_TO_DATE, DATA, SIZE)).initial()).isEqualTo(InitialData.SYNC_TARGET);
    assertThat(decide(false, new PeerCopy(DiskState.OUTDATED, DATA, SIZE)).initial()).isEqualTo(InitialData.SYNC_TARGET);
  }

  @Test
  void aPeerWaitingForThisNodesDataKeepsTheExistingFile() {
    FirstStart.Decision d = decide(true, new PeerCopy(DiskState.INCONSISTENT, GenerationIds.NONE, SIZE));
    assertThat(d.initial()).isEqualTo(InitialData.EXISTING_SOURCE);
    assertThat(d.why()).contains("waits to be synced from this node").contains("/srv/mail.img");
  }

  @Test
  void aPeerWaitingForDataThisNodeDoesNotHaveIsRefused() {
    assertThatThrownBy(() -> decide(false, new PeerCopy(DiskState.INCONSISTENT, GenerationIds.NONE, SIZE)))
        .hasMessageContaining("waits to be synced from this node (it was created with --from b)")
        .hasMessageContaining("/srv/mail.img does not exist").hasMessageContaining("nothing was created");
  }

  @Test
  void anExistingFileIsNeverOverwrittenWithoutInit() {
    for (PeerCopy peer : new PeerCopy[] {new PeerCopy(DiskState.UP_TO_DATE, GenerationIds.ZEROED, SIZE),
        new PeerCopy(DiskState.UP_TO_DATE, DATA, SIZE), null}) {
      assertThatThrownBy(() -> decide(true, peer)).as("peer %s", peer)
          .hasMessageContaining("/srv/mail.img exists but has no volume metadata").hasMessageContaining("--init sync-target");
    }
  }

  @Test
  void anUnreachablePeerWithNoFileHereMakesAZeroFilledCopyAndSaysWhatHappensIfThePeerHoldsData() {
    FirstStart.Decision d = decide(false, null);
    assertThat(d.initial()).isEqualTo(InitialData.ZEROED);
    assertThat(d.why()).contains("connection refused").contains("this fresh copy is overwritten from it in full when they connect");
  }

  @Test
  void anInconsistentPeerMidResyncOrAnotherSizeIsRefused() {
    assertThatThrownBy(() -> decide(false, new PeerCopy(DiskState.INCONSISTENT, DATA, SIZE)))
        .hasMessageContaining("Inconsistent (an unfinished resync)").hasMessageContaining("pass --init explicitly");
    assertThatThrownBy(() -> decide(false, new PeerCopy(DiskState.UP_TO_DATE, DATA, 2 * SIZE)))
        .hasMessageContaining("the peer's copy is 32.0 MiB (33554432 bytes) but this node's --size is 16.0 MiB (16777216 bytes)");
  }

  @Test
  void theReplyRoundTripsAndAMalformedOneIsNamed() {
    PeerCopy c = new PeerCopy(DiskState.OUTDATED, 0xFEDC_BA98_7654_3210L, SIZE);
    assertThat(PeerCopy.parse(c.render())).isEqualTo(c);
    for (String bad : new String[] {"", "copy", "copy disk=UP_TO_DATE generation=1", "copy disk=SIDEWAYS generation=1 size=1",
        "copy disk=UP_TO_DATE generation=xyz size=1", "status disk=UP_TO_DATE generation=1 size=1"}) {
      assertThatThrownBy(() -> PeerCopy.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("malformed peer-copy reply '" + bad + "'");
    }
  }

  @Test
  void onlyAFirstPromotionWhileInSyncIsFollowed() {
    GenerationIds zeroed = GenerationIds.zeroed();
    GenerationIds left = zeroed.leaveZeroed(DATA, 1);
    assertThat(left).isEqualTo(new GenerationIds(DATA, 0, GenerationIds.ZEROED, 0, 1));
    assertThat(zeroed.adoptedFrom(left)).isTrue();
    assertThat(left.adoptedFrom(left.leaveZeroed(DATA + 1, 2))).as("this copy already left ZEROED").isFalse();
    assertThat(zeroed.adoptedFrom(zeroed.rotate(DATA, 1))).as("a rotation on parting has a bitmap generation").isFalse();
    assertThat(zeroed.adoptedFrom(zeroed)).isFalse();
  }
}
