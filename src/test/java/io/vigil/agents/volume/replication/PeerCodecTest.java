package io.vigil.agents.volume.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.GenerationIds;
import io.vigil.agents.volume.meta.Role;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PeerCodecTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  @Provide
  Arbitrary<PeerMessage> messages() {
    Arbitrary<Long> l = Arbitraries.longs();
    Arbitrary<GenerationIds> gens = Combinators.combine(l, l, l, l, l).as(GenerationIds::new);
    Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
    Arbitrary<PeerMessage> write = Combinators.combine(l, l, Arbitraries.integers(), data)
        .as((seq, off, flags, d) -> new PeerMessage.Write(seq, off, flags, PeerCodec.crc(off, d), d));
    Arbitrary<PeerMessage> hello = Combinators.combine(Arbitraries.strings().ofMaxLength(50), Arbitraries.strings().ofMaxLength(50),
            l, Arbitraries.integers(), Arbitraries.of(Protocol.class), Arbitraries.of(Role.class), Arbitraries.of(DiskState.class), gens)
        .as((v, n, size, rs, p, r, d, g) -> new PeerMessage.Hello(v, n, size, rs, p, r, d, g, size % 2 == 0, n, new long[] {size, 7}));
    return Arbitraries.oneOf(write, hello,
        Combinators.combine(l, l, l, Arbitraries.integers()).as(PeerMessage.Zero::new),
        l.map(PeerMessage.Flush::new), l.map(PeerMessage.Nack::new),
        Combinators.combine(l, Arbitraries.integers().between(1, 3)).as(PeerMessage.Ack::new),
        gens.map(PeerMessage.SyncDone::new),
        Combinators.combine(l, Arbitraries.integers(), l).as(PeerMessage.Verify::new),
        Combinators.combine(l, l).as(PeerMessage.VerifyReply::new),
        Arbitraries.just(new PeerMessage.Ping()),
        Arbitraries.strings().ofMaxLength(300).map(PeerMessage.Admin::new),
        Combinators.combine(Arbitraries.of(true, false), Arbitraries.strings().ofMaxLength(300)).as(PeerMessage.AdminReply::new),
        Combinators.combine(Arbitraries.of(Role.class), Arbitraries.of(DiskState.class), gens).as(PeerMessage.State::new));
  }

  @Property(tries = 500)
  void everyMessageRoundTrips(@ForAll("messages") PeerMessage m) {
    ByteBuf b = PeerCodec.encode(m, ALLOC);
    try {
      assertThat(PeerCodec.decode(b)).usingRecursiveComparison().isEqualTo(m);
    } finally {
      b.release();
    }
  }

  @Property(tries = 1000)
  void garbageDecodesToAProtocolErrorOrAMessageNeverAnythingElse(@ForAll @Size(max = 200) byte[] garbage) {
    try {
      PeerCodec.decode(Unpooled.wrappedBuffer(garbage));
    } catch (PeerProtocolException expected) {
      // the only allowed failure
    }
  }

  @Property(tries = 500)
  void truncatedOrExtendedFramesAreRejected(@ForAll("messages") PeerMessage m, @ForAll byte extra) {
    ByteBuf b = PeerCodec.encode(m, ALLOC);
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes).release();
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    longer[bytes.length] = extra;
    assertThatThrownBy(() -> PeerCodec.decode(Unpooled.wrappedBuffer(longer))).isInstanceOf(PeerProtocolException.class);
    byte[] shorter = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertThatThrownBy(() -> PeerCodec.decode(Unpooled.wrappedBuffer(shorter))).isInstanceOf(PeerProtocolException.class);
  }

  @Test
  void crcCoversTheOffsetSoMisplacedBlocksAreCaught() {
    byte[] d = "block".getBytes();
    assertThat(PeerCodec.crc(0, d)).isNotEqualTo(PeerCodec.crc(4096, d));
  }

  @Test
  void aeadFramesFromTheRightKeyDecryptAndAlteredOnesAreRejected() {
    byte[] k1 = new byte[32];
    byte[] k2 = new byte[32];
    k2[0] = 1;
    EmbeddedChannel sender = new EmbeddedChannel(new AeadCodec("mail", k1, k2));
    EmbeddedChannel receiver = new EmbeddedChannel(new AeadCodec("mail", k2, k1));
    sender.writeOutbound(Unpooled.copiedBuffer("hello".getBytes()));
    ByteBuf sealed = sender.readOutbound();
    assertThat(sealed.readableBytes()).isEqualTo(5 + 16);
    ByteBuf copy = sealed.copy();
    receiver.writeInbound(sealed);
    ByteBuf plain = receiver.readInbound();
    assertThat(plain.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hello");
    // The same frame again (replay) uses the next nonce and fails; so does a flipped bit.
    assertThatThrownBy(() -> receiver.writeInbound(copy)).hasRootCauseInstanceOf(PeerProtocolException.class)
        .hasMessageContaining("failed authentication");
    EmbeddedChannel fresh = new EmbeddedChannel(new AeadCodec("mail", k2, k1));
    sender.writeOutbound(Unpooled.copiedBuffer("again".getBytes()));
    ByteBuf second = sender.readOutbound();
    second.setByte(2, second.getByte(2) ^ 1);
    assertThatThrownBy(() -> fresh.writeInbound(second)).hasMessageContaining("failed authentication");
  }

  @Test
  void largeWriteFramesTravelAsSeveralRecordsAndCuttingOneOffIsRejected() {
    byte[] k1 = new byte[32];
    byte[] k2 = new byte[32];
    k2[0] = 1;
    byte[] data = new byte[200 * 1024 + 7];
    new java.util.Random(7).nextBytes(data);
    PeerMessage.Write w = new PeerMessage.Write(3, 8192, 0, PeerCodec.crc(8192, data), data);
    EmbeddedChannel sender = new EmbeddedChannel(new AeadCodec("mail", k1, k2));
    EmbeddedChannel receiver = new EmbeddedChannel(new AeadCodec("mail", k2, k1));
    sender.writeOutbound(PeerCodec.encode(w, ByteBufAllocator.DEFAULT));
    ByteBuf sealed = sender.readOutbound();
    int records = (29 + data.length + AeadCodec.RECORD - 1) / AeadCodec.RECORD;
    assertThat(records).isEqualTo(4);
    assertThat(sealed.readableBytes()).isEqualTo(29 + data.length + 16 * records);
    ByteBuf cut = sealed.copy(0, sealed.readableBytes() - (data.length + 29 - 3 * AeadCodec.RECORD) - 16);
    receiver.writeInbound(sealed);
    ByteBuf plain = receiver.readInbound();
    PeerMessage.Write back = (PeerMessage.Write) PeerCodec.decode(plain);
    assertThat(back.data()).isEqualTo(data);
    assertThat(back.crc()).isEqualTo(w.crc());
    // Dropping the last record (a frame cut at a record boundary) changes the length every record authenticated.
    EmbeddedChannel fresh = new EmbeddedChannel(new AeadCodec("mail", k2, k1));
    assertThatThrownBy(() -> fresh.writeInbound(cut)).hasMessageContaining("failed authentication");
  }

  @Test
  void keyFilesReadableByOthersAreRejected(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("mail.key"), "0123456789abcdef0123456789abcdef\n");
    java.nio.file.Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> SharedKey.load(f)).hasMessageContaining("readable by group or others");
    java.nio.file.Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(SharedKey.load(f).toString()).doesNotContain("0123");
  }
}
