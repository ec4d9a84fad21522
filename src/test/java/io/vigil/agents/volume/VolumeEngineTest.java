package io.vigil.agents.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.agents.volume.meta.MetadataFile;
import io.vigil.agents.volume.meta.Role;
import io.vigil.agents.volume.meta.VolumeMetadata;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One engine on real files, no peer: roles, tracking while disconnected, crash recovery from the activity log. */
class VolumeEngineTest {
  @TempDir Path dir;

  private VolumeSettings settings() {
    return new VolumeSettings("mail", "a", dir.resolve("mail.img"), 64L << 20, 64 * 1024, 16,
        io.vigil.agents.volume.replication.Protocol.C, io.vigil.agents.volume.sync.SplitBrainPolicy.DISCONNECT, 1 << 30);
  }

  private VolumeEngine open() throws Exception {
    return VolumeEngine.open(settings(), Clock.systemUTC(), System::nanoTime);
  }

  @Test
  void freshVolumeIsSparseZeroedAndUpToDate() throws Exception {
    VolumeEngine.create(settings(), InitialData.ZEROED, Clock.systemUTC());
    assertThat(Files.size(dir.resolve("mail.img"))).isEqualTo(64L << 20);
    try (VolumeEngine e = open()) {
      VolumeStatus s = e.status().join();
      assertThat(s.disk()).hasToString("UpToDate");
      assertThat(s.role()).isEqualTo(Role.SECONDARY);
      assertThat(s.outOfSyncBytes()).isZero();
    }
    assertThatThrownBy(() -> VolumeEngine.create(settings(), InitialData.ZEROED, Clock.systemUTC()))
        .hasMessageContaining("already exists");
  }

  @Test
  void writesWhileDisconnectedAreTrackedDurablyAndSecondaryRefuses() throws Exception {
    VolumeEngine.create(settings(), InitialData.ZEROED, Clock.systemUTC());
    try (VolumeEngine e = open()) {
      assertThatThrownBy(() -> e.write(0, ByteBuffer.allocate(512), false).join()).hasMessageContaining("is Secondary on node 'a'");
      e.promote().join();
      e.write(70_000, ByteBuffer.wrap(new byte[100_000]), true).join();
      assertThat(e.status().join().outOfSyncBytes()).isEqualTo(2 * 64 * 1024); // bytes 70000..169999: regions 1 and 2
    }
    try (VolumeEngine e = open()) {
      VolumeStatus s = e.status().join();
      assertThat(s.outOfSyncBytes()).isEqualTo(2 * 64 * 1024);
      assertThat(s.role()).isEqualTo(Role.SECONDARY); // a clean stop demotes
    }
  }

  @Test
  void primaryThatDiedMarksItsActivityLogAndRemembersItUntilSynced() throws Exception {
    VolumeEngine.create(settings(), InitialData.ZEROED, Clock.systemUTC());
    // What a Primary killed while writing into extent 2 leaves behind.
    MetadataFile.Opened o = MetadataFile.open(settings().metadataPath());
    VolumeMetadata m = o.meta();
    o.file().write(new VolumeMetadata(m.name(), m.size(), m.regionSize(), Role.PRIMARY, m.diskState(), false, m.gens(),
        m.bitmapWords(), List.of(2), "", 0, 0));
    o.file().close();
    try (VolumeEngine e = open()) {
      assertThat(e.status().join().role()).isEqualTo(Role.SECONDARY);
      assertThat(e.status().join().outOfSyncBytes()).isEqualTo(4L << 20);
      assertThat(e.hello().join().crashedPrimary()).isTrue();
    }
    try (VolumeEngine e = open()) {
      assertThat(e.hello().join().crashedPrimary()).as("survives a second restart").isTrue();
      assertThat(e.status().join().outOfSyncBytes()).isEqualTo(4L << 20);
    }
  }

  @Test
  void metadataOfAnotherSizeIsRefusedWithBothSizes() throws Exception {
    VolumeEngine.create(settings(), InitialData.ZEROED, Clock.systemUTC());
    VolumeSettings bigger = new VolumeSettings("mail", "a", dir.resolve("mail.img"), 128L << 20, 64 * 1024, 16,
        io.vigil.agents.volume.replication.Protocol.C, io.vigil.agents.volume.sync.SplitBrainPolicy.DISCONNECT, 1 << 30);
    assertThatThrownBy(() -> VolumeEngine.open(bigger, Clock.systemUTC(), System::nanoTime))
        .hasMessageContaining("of 67108864 bytes").hasMessageContaining("expected 'mail' of 134217728 bytes");
  }
}
