package io.vigil.agents.volume.nbd;

import static io.vigil.agents.volume.nbd.Nbd.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NBD client connection: fixed newstyle handshake, option haggling, then transmission with
 * simple replies.
 *
 * <p>Phases: CLIENT_FLAGS -> OPTIONS -> TRANSMISSION -> CLOSED, with DISCARDING_* detours that
 * swallow an oversized payload before answering it with an error, so the framing survives. A bad
 * magic number means the framing is lost: the connection is closed. Every other malformed request
 * gets an NBD error reply and changes nothing.
 */
public final class NbdServerHandler extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(NbdServerHandler.class);
  private static final int REQUEST_HEADER = 28;
  private static final int OPTION_HEADER = 16;
  private static final int MAX_INFLIGHT = 128;

  private enum Phase { CLIENT_FLAGS, OPTIONS, DISCARDING_OPTION, TRANSMISSION, DISCARDING_WRITE, CLOSED }

  private final NbdExports exports;
  private Phase phase = Phase.CLIENT_FLAGS;
  private boolean noZeroes;
  private NbdExport export;
  private long discardRemaining;
  private int discardOption;
  private long discardHandle;
  private int inflight;
  private boolean disconnecting;

  public NbdServerHandler(NbdExports exports) {
    this.exports = exports;
    // Write payloads (up to 32 MiB) arrive in ~64 KiB reads: composing them instead of merging spares
    // a copy of every written byte; the export takes the payload as its parts.
    setCumulator(COMPOSITE_CUMULATOR);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ByteBuf hello = ctx.alloc().buffer(18);
    hello.writeLong(NBDMAGIC).writeLong(IHAVEOPT).writeShort(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES);
    ctx.writeAndFlush(hello);
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable() && phase != Phase.CLOSED) {
      int before = in.readableBytes();
      switch (phase) {
        case CLIENT_FLAGS -> decodeClientFlags(ctx, in);
        case OPTIONS -> decodeOption(ctx, in);
        case DISCARDING_OPTION -> discardOption(ctx, in);
        case TRANSMISSION -> decodeRequest(ctx, in);
        case DISCARDING_WRITE -> discardWrite(ctx, in);
        case CLOSED -> in.skipBytes(in.readableBytes());
      }
      if (in.readableBytes() == before && phase != Phase.CLOSED) {
        return; // need more bytes
      }
    }
    if (phase == Phase.CLOSED) {
      in.skipBytes(in.readableBytes());
    }
  }

  private void decodeClientFlags(ChannelHandlerContext ctx, ByteBuf in) {
    if (in.readableBytes() < 4) return;
    int flags = in.readInt();
    if ((flags & ~(CLIENT_FLAG_FIXED_NEWSTYLE | CLIENT_FLAG_NO_ZEROES)) != 0) {
      closeLostFraming(ctx, "unknown client flags 0x" + Integer.toHexString(flags));
      return;
    }
    noZeroes = (flags & CLIENT_FLAG_NO_ZEROES) != 0;
    phase = Phase.OPTIONS;
  }

  private void decodeOption(ChannelHandlerContext ctx, ByteBuf in) {
    if (in.readableBytes() < OPTION_HEADER) return;
    int at = in.readerIndex();
    long magic = in.getLong(at);
    if (magic != IHAVEOPT) {
      closeLostFraming(ctx, "option magic 0x" + Long.toHexString(magic) + ", expected IHAVEOPT");
      return;
    }
    int option = in.getInt(at + 8);
    long length = in.getUnsignedInt(at + 12);
    if (length > MAX_OPTION_LENGTH) {
      in.skipBytes(OPTION_HEADER);
      discardRemaining = length;
      discardOption = option;
      phase = Phase.DISCARDING_OPTION;
      return;
    }
    if (in.readableBytes() < OPTION_HEADER + length) return;
    in.skipBytes(OPTION_HEADER);
    ByteBuf data = in.readSlice((int) length);
    NbdOptions.Outcome outcome = NbdOptions.handle(exports, option, data, noZeroes, ctx.alloc());
    ctx.writeAndFlush(outcome.reply());
    switch (outcome) {
      case NbdOptions.Outcome.Continue c -> { }
      case NbdOptions.Outcome.Transmit t -> {
        export = t.export();
        phase = Phase.TRANSMISSION;
        log.debug("nbd client {} opened export '{}'", ctx.channel().remoteAddress(), export.name());
      }
      case NbdOptions.Outcome.Close c -> {
        phase = Phase.CLOSED;
        ctx.flush();
        ctx.channel().close();
      }
    }
  }

  private void discardOption(ChannelHandlerContext ctx, ByteBuf in) {
    int n = (int) Math.min(in.readableBytes(), discardRemaining);
    in.skipBytes(n);
    discardRemaining -= n;
    if (discardRemaining == 0) {
      ctx.writeAndFlush(NbdOptions.error(ctx.alloc(), discardOption, REP_ERR_TOO_BIG,
          "option payload larger than " + MAX_OPTION_LENGTH + " bytes"));
      phase = Phase.OPTIONS;
    }
  }

  private void discardWrite(ChannelHandlerContext ctx, ByteBuf in) {
    int n = (int) Math.min(in.readableBytes(), discardRemaining);
    in.skipBytes(n);
    discardRemaining -= n;
    if (discardRemaining == 0) {
      phase = Phase.TRANSMISSION;
      reply(ctx, discardHandle, EINVAL, null);
    }
  }

  private void decodeRequest(ChannelHandlerContext ctx, ByteBuf in) {
    if (in.readableBytes() < REQUEST_HEADER) return;
    int at = in.readerIndex();
    int magic = in.getInt(at);
    if (magic != REQUEST_MAGIC) {
      closeLostFraming(ctx, "request magic 0x" + Integer.toHexString(magic) + ", expected 0x25609513");
      return;
    }
    int flags = in.getUnsignedShort(at + 4);
    int type = in.getUnsignedShort(at + 6);
    long handle = in.getLong(at + 8);
    long offset = in.getLong(at + 16);
    long length = in.getUnsignedInt(at + 24);
    ByteBuf payload = null;
    if (type == CMD_WRITE) {
      if (length > MAX_PAYLOAD) {
        in.skipBytes(REQUEST_HEADER);
        discardRemaining = length;
        discardHandle = handle;
        phase = Phase.DISCARDING_WRITE;
        return;
      }
      if (in.readableBytes() < REQUEST_HEADER + length) return;
      in.skipBytes(REQUEST_HEADER);
      payload = in.readRetainedSlice((int) length);
    } else {
      in.skipBytes(REQUEST_HEADER);
    }
    NbdRequest request = new NbdRequest(flags, type, handle, offset, length);
    if (type == CMD_DISC) {
      disconnecting = true;
      phase = Phase.CLOSED;
      maybeClose(ctx);
      return;
    }
    int error = request.validate(export);
    if (error != 0) {
      if (payload != null) payload.release();
      reply(ctx, handle, error, null);
      return;
    }
    execute(ctx, request, payload);
  }

  private void execute(ChannelHandlerContext ctx, NbdRequest r, ByteBuf payload) {
    CompletableFuture<?> result;
    try {
      boolean fua = (r.flags() & CMD_FLAG_FUA) != 0;
      result = switch (r.type()) {
        case CMD_READ -> export.read(r.offset(), (int) r.length(), ctx.alloc());
        case CMD_WRITE -> export.write(r.offset(), payload.nioBuffers(), fua);
        case CMD_FLUSH -> export.flush();
        case CMD_TRIM -> export.trim(r.offset(), r.length(), fua);
        case CMD_WRITE_ZEROES -> export.writeZeroes(r.offset(), r.length(), fua);
        default -> CompletableFuture.failedFuture(new NbdException(EINVAL, "unknown command " + r.type()));
      };
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    inflight++;
    if (inflight >= MAX_INFLIGHT) ctx.channel().config().setAutoRead(false);
    result.whenComplete((value, failure) -> ctx.executor().execute(() -> {
      if (payload != null) payload.release();
      inflight--;
      if (inflight < MAX_INFLIGHT / 2 && !disconnecting) ctx.channel().config().setAutoRead(true);
      if (failure != null) {
        reply(ctx, r.handle(), errnoOf(r, failure), null);
      } else if (r.type() == CMD_READ) {
        ByteBuf data = (ByteBuf) value;
        if (data.readableBytes() != r.length()) {
          data.release();
          reply(ctx, r.handle(), EIO, null);
        } else {
          reply(ctx, r.handle(), 0, data);
        }
      } else {
        reply(ctx, r.handle(), 0, null);
      }
      maybeClose(ctx);
    }));
  }

  private int errnoOf(NbdRequest r, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof NbdException e) {
      log.debug("export '{}': {} failed: {}", export.name(), r, e.getMessage());
      return e.errno();
    }
    log.warn("export '{}': {} failed", export.name(), r, cause);
    return EIO;
  }

  private void reply(ChannelHandlerContext ctx, long handle, int error, ByteBuf data) {
    if (!ctx.channel().isActive()) {
      if (data != null) data.release();
      return;
    }
    ByteBuf header = ctx.alloc().buffer(16);
    header.writeInt(SIMPLE_REPLY_MAGIC).writeInt(error).writeLong(handle);
    if (data == null) {
      ctx.writeAndFlush(header);
    } else {
      ctx.write(header);
      ctx.writeAndFlush(data);
    }
  }

  private void maybeClose(ChannelHandlerContext ctx) {
    if (disconnecting && inflight == 0) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void closeLostFraming(ChannelHandlerContext ctx, String why) {
    log.info("nbd client {}: {}; closing (framing lost)", ctx.channel().remoteAddress(), why);
    phase = Phase.CLOSED;
    disconnecting = true;
    maybeClose(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.info("nbd client {}: {}; closing", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /** Returns the name of the export this connection is transmitting on, or null during the handshake. */
  String exportName() {
    return export == null ? null : export.name();
  }

  static String utf8(ByteBuf b) {
    return b.toString(StandardCharsets.UTF_8);
  }
}
