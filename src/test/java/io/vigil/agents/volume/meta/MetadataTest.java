package io.vigil.agents.volume.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataTest {
  @TempDir Path dir;

  private static VolumeMetadata sample(long size, int region) {
    DirtyBitmap b = new DirtyBitmap(size, region);
    b.markDirty(0, 1);
    b.markDirty(size - 1, 1);
    return new VolumeMetadata("mail", size, region, Role.PRIMARY, DiskState.UP_TO_DATE, true,
        new GenerationIds(0xABCDL, 0x1234L, 7, 8, 99), b.words(), List.of((int) ((size - 1) / MetadataCodec.AL_EXTENT), 0), "node-b", 5, 6);
  }

  @Property(tries = 100)
  void encodeDecodeRoundTrips(@ForAll @LongRange(min = 1, max = 1L << 34) long size,
      @ForAll @IntRange(min = 12, max = 20) int regionShift, @ForAll @LongRange(min = 0, max = 1L << 50) long seq) {
    VolumeMetadata m = sample(size, 1 << regionShift);
    byte[] bytes = MetadataCodec.encode(m, seq);
    assertThat(bytes.length).isLessThanOrEqualTo(MetadataCodec.slotSize(size, 1 << regionShift));
    MetadataCodec.Slot s = MetadataCodec.decode(ByteBuffer.wrap(bytes));
    assertThat(s.seq()).isEqualTo(seq);
    assertThat(s.meta()).usingRecursiveComparison().isEqualTo(m);
  }

  @Test
  void aForcedRecordRoundTripsAndASlotWrittenWithoutOneStillDecodes() {
    VolumeMetadata base = sample(1 << 24, 65536);
    VolumeMetadata forced = new VolumeMetadata(base.name(), base.size(), base.regionSize(), base.role(), base.diskState(),
        base.crashedPrimary(), base.gens(), base.bitmapWords(), base.activityLog(), base.resolveKeep(), 5, 6, 1_764_000_000_000L,
        DiskState.OUTDATED);
    MetadataCodec.Slot s = MetadataCodec.decode(ByteBuffer.wrap(MetadataCodec.encode(forced, 4)));
    assertThat(s.meta().forcedMillis()).isEqualTo(1_764_000_000_000L);
    assertThat(s.meta().forcedFrom()).isEqualTo(DiskState.OUTDATED);
    assertThat(s.meta().withVerify(9, 0).forcedFrom()).as("kept by the with* copies").isEqualTo(DiskState.OUTDATED);

    // A slot as written before the forced record existed: the same bytes without its 9 trailing payload bytes.
    byte[] now = MetadataCodec.encode(base, 4);
    int payload = ByteBuffer.wrap(now).getInt(20) - MetadataCodec.FORCED_BYTES;
    ByteBuffer old = ByteBuffer.allocate(MetadataCodec.HEADER + payload + 4);
    old.put(now, 0, MetadataCodec.HEADER + payload).putInt(20, payload);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(old.array(), 0, MetadataCodec.HEADER + payload);
    old.putInt(MetadataCodec.HEADER + payload, (int) crc.getValue());
    VolumeMetadata decoded = MetadataCodec.decode(ByteBuffer.wrap(old.array())).meta();
    assertThat(decoded.forcedMillis()).isZero();
    assertThat(decoded.forcedFrom()).isNull();
    assertThat(decoded).usingRecursiveComparison().isEqualTo(base);
  }

  @Property(tries = 500)
  void anyCorruptionIsRejectedWithAMetadataException(@ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll @IntRange(min = 0, max = 7) int bit) {
    byte[] bytes = MetadataCodec.encode(sample(1 << 24, 65536), 3);
    int at = position % bytes.length;
    bytes[at] ^= (byte) (1 << bit);
    assertThatThrownBy(() -> MetadataCodec.decode(ByteBuffer.wrap(bytes))).isInstanceOf(MetadataCodec.MetadataException.class);
  }

  @Property(tries = 300)
  void randomBytesNeverDecodeOrCrash(@ForAll byte[] garbage) {
    try {
      MetadataCodec.decode(ByteBuffer.wrap(garbage));
    } catch (MetadataCodec.MetadataException expected) {
      // the only allowed failure
    }
  }

  @Test
  void fileKeepsTheNewestValidSlotWhenTheLatestWriteIsTorn() throws IOException {
    Path p = dir.resolve("mail.vmeta");
    VolumeMetadata first = sample(1 << 30, 1 << 20);
    try (MetadataFile f = MetadataFile.create(p, first)) {
      f.write(first.with(Role.SECONDARY, DiskState.OUTDATED, first.gens()));
    }
    assertThat(MetadataFile.open(p).meta().diskState()).isEqualTo(DiskState.OUTDATED);
    // Tear the newest slot (seq 2 lives in slot 0): the previous content comes back.
    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
      raf.seek(40);
      raf.write(0xFF);
    }
    MetadataFile.Opened o = MetadataFile.open(p);
    o.file().close();
    assertThat(o.meta().diskState()).isEqualTo(DiskState.UP_TO_DATE);
    assertThat(o.meta().role()).isEqualTo(Role.PRIMARY);
  }

  @Test
  void bothSlotsCorruptIsAClearError() throws IOException {
    Path p = dir.resolve("x.vmeta");
    MetadataFile.create(p, sample(1 << 20, 4096)).close();
    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
      raf.seek(raf.length() / 2 + 30); // the first write went to slot 1
      raf.write(0xFF);
    }
    assertThatThrownBy(() -> MetadataFile.open(p)).isInstanceOf(IOException.class)
        .hasMessageContaining(p.toString()).hasMessageContaining("slot 0: no metadata magic").hasMessageContaining("slot 1: CRC32C mismatch");
  }

  @Test
  void bitmapCountsDirtyBytesWithAShortLastRegion() {
    DirtyBitmap b = new DirtyBitmap(3 * 65536 + 100, 65536);
    assertThat(b.regions()).isEqualTo(4);
    assertThat(b.markDirty(65535, 2)).isEqualTo(2);
    assertThat(b.markDirty(3 * 65536 + 5, 10)).isEqualTo(1);
    assertThat(b.dirtyBytes()).isEqualTo(2 * 65536 + 100);
    assertThat(DirtyBitmap.of(3 * 65536 + 100, 65536, b.words()).dirtyRegions()).isEqualTo(3);
  }

  @Test
  void rotatingKeepsTheOldGenerationAsBitmapAndHistory() {
    GenerationIds g = GenerationIds.zeroed().rotate(0x55, 10);
    assertThat(g.current()).isEqualTo(0x55);
    assertThat(g.bitmap()).isEqualTo(GenerationIds.ZEROED);
    GenerationIds h = g.clearBitmap();
    assertThat(h.bitmap()).isZero();
    assertThat(h.hasInHistory(GenerationIds.ZEROED)).isTrue();
  }

  @Test
  void activityLogEvictsTheLeastRecentIdleRegion() {
    ActivityLog al = new ActivityLog(2, List.of());
    assertThat(al.touch(1, r -> false)).isTrue();
    assertThat(al.touch(2, r -> false)).isTrue();
    assertThat(al.touch(1, r -> false)).isFalse();
    assertThat(al.touch(3, r -> r == 2)).isTrue(); // 2 is busy, so 1 goes although more recent
    assertThat(al.regions()).containsExactly(2, 3);
  }
}
