package io.vigil.agents.volume.nbd;

import static io.vigil.agents.volume.nbd.Nbd.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class NbdServerHandlerTest {
  private final MemoryExport export = new MemoryExport("mail", 1 << 20);

  private EmbeddedChannel connect(int clientFlags) {
    EmbeddedChannel ch = new EmbeddedChannel(new NbdServerHandler(export));
    ByteBuf hello = ch.readOutbound();
    assertThat(hello.readLong()).isEqualTo(NBDMAGIC);
    assertThat(hello.readLong()).isEqualTo(IHAVEOPT);
    assertThat(hello.readUnsignedShort()).isEqualTo(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES);
    hello.release();
    ch.writeInbound(Unpooled.buffer().writeInt(clientFlags));
    return ch;
  }

  private static ByteBuf option(int option, ByteBuf data) {
    return Unpooled.buffer().writeLong(IHAVEOPT).writeInt(option).writeInt(data.readableBytes()).writeBytes(data);
  }

  private static ByteBuf goData(String name, int... infos) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    ByteBuf d = Unpooled.buffer().writeInt(b.length).writeBytes(b).writeShort(infos.length);
    for (int i : infos) d.writeShort(i);
    return d;
  }

  private static ByteBuf request(int flags, int type, long handle, long offset, int length) {
    return Unpooled.buffer().writeInt(REQUEST_MAGIC).writeShort(flags).writeShort(type).writeLong(handle)
        .writeLong(offset).writeInt(length);
  }

  /** Reads every outbound byte into one buffer. */
  private static ByteBuf drain(EmbeddedChannel ch) {
    ch.runPendingTasks();
    ByteBuf all = Unpooled.buffer();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      all.writeBytes((ByteBuf) o);
      ((ByteBuf) o).release();
    }
    return all;
  }

  private record OptReply(int option, int type, ByteBuf data) {}

  private static OptReply readOptReply(ByteBuf b) {
    assertThat(b.readLong()).isEqualTo(OPTION_REPLY_MAGIC);
    int option = b.readInt();
    int type = b.readInt();
    return new OptReply(option, type, b.readSlice(b.readInt()));
  }

  private EmbeddedChannel transmitting() {
    EmbeddedChannel ch = connect(CLIENT_FLAG_FIXED_NEWSTYLE | CLIENT_FLAG_NO_ZEROES);
    ch.writeInbound(option(OPT_GO, goData("mail")));
    ByteBuf out = drain(ch);
    OptReply info = readOptReply(out);
    assertThat(info.type()).isEqualTo(REP_INFO);
    assertThat(info.data().readUnsignedShort()).isEqualTo(INFO_EXPORT);
    assertThat(info.data().readLong()).isEqualTo(1 << 20);
    assertThat(info.data().readUnsignedShort()).isEqualTo(
        TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH | TFLAG_SEND_FUA | TFLAG_SEND_TRIM | TFLAG_SEND_WRITE_ZEROES | TFLAG_CAN_MULTI_CONN);
    assertThat(readOptReply(out).type()).isEqualTo(REP_ACK);
    return ch;
  }

  private static int replyError(ByteBuf b, long expectedHandle) {
    assertThat(b.readInt()).isEqualTo(SIMPLE_REPLY_MAGIC);
    int error = b.readInt();
    assertThat(b.readLong()).isEqualTo(expectedHandle);
    return error;
  }

  @Test
  void goOnKnownExportAdvertisesSizeFlagsAndRequestedBlockSizes() {
    EmbeddedChannel ch = connect(CLIENT_FLAG_FIXED_NEWSTYLE);
    ch.writeInbound(option(OPT_INFO, goData("mail", INFO_BLOCK_SIZE, INFO_NAME)));
    ByteBuf out = drain(ch);
    assertThat(readOptReply(out).type()).isEqualTo(REP_INFO);
    OptReply name = readOptReply(out);
    assertThat(name.data().readUnsignedShort()).isEqualTo(INFO_NAME);
    assertThat(name.data().toString(StandardCharsets.UTF_8)).isEqualTo("mail");
    OptReply sizes = readOptReply(out);
    assertThat(sizes.data().readUnsignedShort()).isEqualTo(INFO_BLOCK_SIZE);
    assertThat(sizes.data().readInt()).isEqualTo(1);
    assertThat(sizes.data().readInt()).isEqualTo(PREFERRED_BLOCK);
    assertThat(sizes.data().readInt()).isEqualTo(MAX_PAYLOAD);
    assertThat(readOptReply(out).type()).isEqualTo(REP_ACK);
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void unknownExportGetsErrUnknownAndHaggingContinues() {
    EmbeddedChannel ch = connect(CLIENT_FLAG_FIXED_NEWSTYLE);
    ch.writeInbound(option(OPT_GO, goData("mial")));
    OptReply r = readOptReply(drain(ch));
    assertThat(r.type()).isEqualTo(REP_ERR_UNKNOWN);
    assertThat(r.data().toString(StandardCharsets.UTF_8)).contains("mial");
    ch.writeInbound(option(OPT_LIST, Unpooled.EMPTY_BUFFER));
    ByteBuf out = drain(ch);
    OptReply server = readOptReply(out);
    assertThat(server.type()).isEqualTo(REP_SERVER);
    assertThat(server.data().readInt()).isEqualTo(4);
    assertThat(server.data().toString(StandardCharsets.UTF_8)).isEqualTo("mail");
    assertThat(readOptReply(out).type()).isEqualTo(REP_ACK);
  }

  @Test
  void refusedExportGetsErrPolicyWithTheReason() {
    export.refusal = "volume 'mail' is Secondary on this node; only the primary exports it";
    EmbeddedChannel ch = connect(CLIENT_FLAG_FIXED_NEWSTYLE);
    ch.writeInbound(option(OPT_GO, goData("mail")));
    OptReply r = readOptReply(drain(ch));
    assertThat(r.type()).isEqualTo(REP_ERR_POLICY);
    assertThat(r.data().toString(StandardCharsets.UTF_8)).contains("Secondary");
  }

  @Test
  void exportNameOptionSendsSizeFlagsAndZeroesUnlessNoZeroes() {
    EmbeddedChannel ch = connect(CLIENT_FLAG_FIXED_NEWSTYLE);
    ch.writeInbound(option(OPT_EXPORT_NAME, Unpooled.copiedBuffer("mail", StandardCharsets.UTF_8)));
    ByteBuf out = drain(ch);
    assertThat(out.readableBytes()).isEqualTo(8 + 2 + 124);
    assertThat(out.readLong()).isEqualTo(1 << 20);
  }

  @Test
  void exportNameForUnknownExportClosesTheConnection() {
    EmbeddedChannel ch = connect(CLIENT_FLAG_FIXED_NEWSTYLE);
    ch.writeInbound(option(OPT_EXPORT_NAME, Unpooled.copiedBuffer("nope", StandardCharsets.UTF_8)));
    drain(ch);
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void malformedGoDataGetsErrInvalid() {
    EmbeddedChannel ch = connect(CLIENT_FLAG_FIXED_NEWSTYLE);
    ch.writeInbound(option(OPT_GO, Unpooled.buffer().writeInt(1000).writeShort(0)));
    assertThat(readOptReply(drain(ch)).type()).isEqualTo(REP_ERR_INVALID);
    ch.writeInbound(option(OPT_GO, Unpooled.buffer().writeInt(4).writeBytes("mail".getBytes()).writeShort(3).writeShort(1)));
    assertThat(readOptReply(drain(ch)).type()).isEqualTo(REP_ERR_INVALID);
    ch.writeInbound(option(OPT_LIST, Unpooled.buffer().writeInt(1)));
    assertThat(readOptReply(drain(ch)).type()).isEqualTo(REP_ERR_INVALID);
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void unsupportedOptionsGetErrUnsup() {
    EmbeddedChannel ch = connect(CLIENT_FLAG_FIXED_NEWSTYLE);
    for (int opt : new int[] {OPT_STARTTLS, 8, 9, 10, 11, 12345}) {
      ch.writeInbound(option(opt, Unpooled.EMPTY_BUFFER));
      OptReply r = readOptReply(drain(ch));
      assertThat(r.option()).isEqualTo(opt);
      assertThat(r.type()).isEqualTo(REP_ERR_UNSUP);
    }
  }

  @Test
  void oversizedOptionIsDiscardedAndAnsweredTooBig() {
    EmbeddedChannel ch = connect(CLIENT_FLAG_FIXED_NEWSTYLE);
    ch.writeInbound(Unpooled.buffer().writeLong(IHAVEOPT).writeInt(OPT_GO).writeInt(MAX_OPTION_LENGTH + 10));
    ch.writeInbound(Unpooled.buffer().writeZero(MAX_OPTION_LENGTH + 10));
    assertThat(readOptReply(drain(ch)).type()).isEqualTo(REP_ERR_TOO_BIG);
    ch.writeInbound(option(OPT_LIST, Unpooled.EMPTY_BUFFER));
    assertThat(readOptReply(drain(ch)).type()).isEqualTo(REP_SERVER);
  }

  @Test
  void abortIsAcknowledgedThenClosed() {
    EmbeddedChannel ch = connect(CLIENT_FLAG_FIXED_NEWSTYLE);
    ch.writeInbound(option(OPT_ABORT, Unpooled.EMPTY_BUFFER));
    assertThat(readOptReply(drain(ch)).type()).isEqualTo(REP_ACK);
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void unknownClientFlagsOrBadOptionMagicCloseTheConnection() {
    EmbeddedChannel a = connect(1 << 7);
    drain(a);
    assertThat(a.isActive()).isFalse();
    EmbeddedChannel b = connect(CLIENT_FLAG_FIXED_NEWSTYLE);
    b.writeInbound(Unpooled.buffer().writeLong(0x1234).writeLong(0));
    drain(b);
    assertThat(b.isActive()).isFalse();
  }

  @Test
  void writeThenReadReturnsTheData() {
    EmbeddedChannel ch = transmitting();
    byte[] payload = "hello, volume".getBytes(StandardCharsets.UTF_8);
    ch.writeInbound(request(CMD_FLAG_FUA, CMD_WRITE, 7, 4096, payload.length).writeBytes(payload));
    assertThat(replyError(drain(ch), 7)).isZero();
    ch.writeInbound(request(0, CMD_READ, 8, 4096, payload.length));
    ByteBuf out = drain(ch);
    assertThat(replyError(out, 8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello, volume");
    ch.writeInbound(request(0, CMD_FLUSH, 9, 0, 0));
    assertThat(replyError(drain(ch), 9)).isZero();
    assertThat(export.flushes).isEqualTo(1);
  }

  @Test
  void writeZeroesClearsTheRange() {
    EmbeddedChannel ch = transmitting();
    java.util.Arrays.fill(export.data, 0, 8192, (byte) 7);
    ch.writeInbound(request(CMD_FLAG_NO_HOLE, CMD_WRITE_ZEROES, 1, 100, 1000));
    assertThat(replyError(drain(ch), 1)).isZero();
    assertThat(export.data[99]).isEqualTo((byte) 7);
    assertThat(export.data[100]).isZero();
    assertThat(export.data[1099]).isZero();
    assertThat(export.data[1100]).isEqualTo((byte) 7);
  }

  @Test
  void outOfRangeAndInvalidRequestsGetErrorsAndChangeNothing() {
    EmbeddedChannel ch = transmitting();
    ch.writeInbound(request(0, CMD_READ, 1, (1 << 20) - 10, 11));
    assertThat(replyError(drain(ch), 1)).isEqualTo(EINVAL);
    ch.writeInbound(request(0, CMD_WRITE, 2, (1 << 20) - 1, 2).writeShort(0x0101));
    assertThat(replyError(drain(ch), 2)).isEqualTo(ENOSPC);
    ch.writeInbound(request(0, CMD_WRITE_ZEROES, 3, -1L, 1));
    assertThat(replyError(drain(ch), 3)).isEqualTo(ENOSPC);
    ch.writeInbound(request(0, 5 /* CACHE, not advertised */, 4, 0, 1));
    assertThat(replyError(drain(ch), 4)).isEqualTo(EINVAL);
    ch.writeInbound(request(1 << 9, CMD_READ, 5, 0, 1));
    assertThat(replyError(drain(ch), 5)).isEqualTo(EINVAL);
    ch.writeInbound(request(CMD_FLAG_FUA, CMD_READ, 6, 0, 1));
    assertThat(replyError(drain(ch), 6)).isEqualTo(EINVAL);
    assertThat(export.data[(1 << 20) - 1]).isZero();
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void oversizedWriteIsDiscardedAndTheNextRequestStillWorks() {
    EmbeddedChannel ch = transmitting();
    ch.writeInbound(request(0, CMD_WRITE, 1, 0, MAX_PAYLOAD + 1));
    ch.writeInbound(Unpooled.buffer().writeZero(MAX_PAYLOAD + 1));
    assertThat(replyError(drain(ch), 1)).isEqualTo(EINVAL);
    ch.writeInbound(request(0, CMD_READ, 2, 0, 4));
    assertThat(replyError(drain(ch), 2)).isZero();
  }

  @Test
  void badRequestMagicClosesTheConnection() {
    EmbeddedChannel ch = transmitting();
    ch.writeInbound(Unpooled.buffer().writeInt(0xdeadbeef).writeZero(24));
    drain(ch);
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void discClosesAfterOutstandingReplies() {
    EmbeddedChannel ch = transmitting();
    ch.writeInbound(request(0, CMD_READ, 1, 0, 4), request(0, CMD_DISC, 2, 0, 0));
    ByteBuf out = drain(ch);
    assertThat(replyError(out, 1)).isZero();
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void failingExportOperationBecomesAnErrnoReply() {
    MemoryExport failing = new MemoryExport("mail", 4096) {
      @Override
      public java.util.concurrent.CompletableFuture<Void> flush() {
        return java.util.concurrent.CompletableFuture.failedFuture(new NbdException(EPERM, "volume 'mail' is Secondary"));
      }
    };
    EmbeddedChannel ch = new EmbeddedChannel(new NbdServerHandler(failing));
    drain(ch);
    ch.writeInbound(Unpooled.buffer().writeInt(CLIENT_FLAG_FIXED_NEWSTYLE), option(OPT_GO, goData("mail")));
    drain(ch);
    ch.writeInbound(request(0, CMD_FLUSH, 3, 0, 0));
    assertThat(replyError(drain(ch), 3)).isEqualTo(EPERM);
  }

  @Property(tries = 300)
  void garbageDuringHandshakeNeverThrows(@ForAll @Size(max = 300) byte[] garbage) {
    EmbeddedChannel ch = new EmbeddedChannel(new NbdServerHandler(export));
    ch.writeInbound(Unpooled.wrappedBuffer(garbage));
    drain(ch).release();
    ch.checkException();
    ch.finishAndReleaseAll();
  }

  @Property(tries = 300)
  void garbageDuringTransmissionNeverThrowsOrWritesOutOfRange(@ForAll @Size(max = 400) byte[] garbage) {
    EmbeddedChannel ch = transmitting();
    ch.writeInbound(Unpooled.wrappedBuffer(garbage));
    drain(ch).release();
    ch.checkException();
    ch.finishAndReleaseAll();
  }

  @Property(tries = 300)
  void wellFramedRandomRequestsAlwaysGetOneReplyEach(
      @ForAll int flags, @ForAll int type, @ForAll long offset, @ForAll int length) {
    EmbeddedChannel ch = transmitting();
    int t = Math.floorMod(type, 10);
    if (t == CMD_WRITE || t == CMD_DISC) t = CMD_READ;
    int len = Math.floorMod(length, 1 << 21);
    ch.writeInbound(request(flags & 0xffff, t, 42, offset, len));
    ByteBuf out = drain(ch);
    replyError(out, 42);
    ch.checkException();
    out.release();
    ch.finishAndReleaseAll();
  }
}
