package io.vigil.agents.volume.nbd;

import static io.vigil.agents.volume.nbd.Nbd.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** Answers one handshake option: builds the reply bytes and says what the connection does next. */
final class NbdOptions {
  private NbdOptions() {}

  /** What follows an option. */
  sealed interface Outcome {
    ByteBuf reply();

    /** Stay in option haggling. */
    record Continue(ByteBuf reply) implements Outcome {}

    /** Enter transmission on {@code export}. */
    record Transmit(ByteBuf reply, NbdExport export) implements Outcome {}

    /** Send the reply, then close. */
    record Close(ByteBuf reply) implements Outcome {}
  }

  static Outcome handle(NbdExports exports, int option, ByteBuf data, boolean noZeroes, ByteBufAllocator alloc) {
    return switch (option) {
      case OPT_EXPORT_NAME -> exportName(exports, data, noZeroes, alloc);
      case OPT_ABORT -> new Outcome.Close(reply(alloc, option, REP_ACK, null));
      case OPT_LIST -> list(exports, data, alloc);
      case OPT_INFO, OPT_GO -> infoOrGo(exports, option, data, alloc);
      default -> new Outcome.Continue(error(alloc, option, REP_ERR_UNSUP, "option " + option + " is not supported"));
    };
  }

  private static Outcome exportName(NbdExports exports, ByteBuf data, boolean noZeroes, ByteBufAllocator alloc) {
    // NBD_OPT_EXPORT_NAME has no error reply: an unknown or refused export closes the connection.
    if (!(exports.open(NbdServerHandler.utf8(data)) instanceof NbdExports.Lookup.Found found)) {
      return new Outcome.Close(alloc.buffer(0));
    }
    NbdExport export = found.export();
    ByteBuf out = alloc.buffer(noZeroes ? 10 : 134);
    out.writeLong(export.size()).writeShort(transmissionFlags(export));
    if (!noZeroes) out.writeZero(124);
    return new Outcome.Transmit(out, export);
  }

  private static Outcome list(NbdExports exports, ByteBuf data, ByteBufAllocator alloc) {
    if (data.isReadable()) {
      return new Outcome.Continue(error(alloc, OPT_LIST, REP_ERR_INVALID, "NBD_OPT_LIST takes no data"));
    }
    ByteBuf out = alloc.buffer();
    for (String name : exports.names()) {
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      ByteBuf entry = alloc.buffer(4 + bytes.length).writeInt(bytes.length).writeBytes(bytes);
      put(out, OPT_LIST, REP_SERVER, entry);
    }
    put(out, OPT_LIST, REP_ACK, null);
    return new Outcome.Continue(out);
  }

  private static Outcome infoOrGo(NbdExports exports, int option, ByteBuf data, ByteBufAllocator alloc) {
    if (data.readableBytes() < 6) {
      return new Outcome.Continue(error(alloc, option, REP_ERR_INVALID, "option data shorter than 6 bytes"));
    }
    long nameLength = data.readUnsignedInt();
    if (nameLength > data.readableBytes() - 2) {
      return new Outcome.Continue(error(alloc, option, REP_ERR_INVALID, "export name length " + nameLength + " exceeds option data"));
    }
    String name = data.readCharSequence((int) nameLength, StandardCharsets.UTF_8).toString();
    int requests = data.readUnsignedShort();
    if (data.readableBytes() != requests * 2) {
      return new Outcome.Continue(error(alloc, option, REP_ERR_INVALID,
          requests + " information requests announced, " + data.readableBytes() + " bytes follow"));
    }
    boolean wantName = false;
    boolean wantBlockSize = false;
    for (int i = 0; i < requests; i++) {
      int info = data.readUnsignedShort();
      wantName |= info == INFO_NAME;
      wantBlockSize |= info == INFO_BLOCK_SIZE;
    }
    NbdExports.Lookup lookup = exports.open(name);
    return switch (lookup) {
      case NbdExports.Lookup.Unknown u ->
          new Outcome.Continue(error(alloc, option, REP_ERR_UNKNOWN, "no export named '" + name + "'"));
      case NbdExports.Lookup.Refused r -> new Outcome.Continue(error(alloc, option, REP_ERR_POLICY, r.reason()));
      case NbdExports.Lookup.Found f -> {
        NbdExport export = f.export();
        ByteBuf out = alloc.buffer();
        ByteBuf info = alloc.buffer(12).writeShort(INFO_EXPORT).writeLong(export.size()).writeShort(transmissionFlags(export));
        put(out, option, REP_INFO, info);
        if (wantName) {
          byte[] bytes = export.name().getBytes(StandardCharsets.UTF_8);
          put(out, option, REP_INFO, alloc.buffer().writeShort(INFO_NAME).writeBytes(bytes));
        }
        if (wantBlockSize) {
          ByteBuf sizes = alloc.buffer(14).writeShort(INFO_BLOCK_SIZE).writeInt(1).writeInt(PREFERRED_BLOCK).writeInt(MAX_PAYLOAD);
          put(out, option, REP_INFO, sizes);
        }
        put(out, option, REP_ACK, null);
        yield option == OPT_GO ? new Outcome.Transmit(out, export) : new Outcome.Continue(out);
      }
    };
  }

  /** Flags advertised for {@code export}: flush, FUA, trim, write-zeroes, multi-conn (flush covers every connection). */
  static int transmissionFlags(NbdExport export) {
    int flags = TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH | TFLAG_SEND_FUA | TFLAG_SEND_TRIM | TFLAG_SEND_WRITE_ZEROES
        | TFLAG_CAN_MULTI_CONN;
    return export.readOnly() ? flags | TFLAG_READ_ONLY : flags;
  }

  static ByteBuf error(ByteBufAllocator alloc, int option, int type, String message) {
    return reply(alloc, option, type, alloc.buffer().writeBytes(message.getBytes(StandardCharsets.UTF_8)));
  }

  /** Encodes one option reply; takes ownership of {@code data}. */
  static ByteBuf reply(ByteBufAllocator alloc, int option, int type, ByteBuf data) {
    ByteBuf out = alloc.buffer(20 + (data == null ? 0 : data.readableBytes()));
    put(out, option, type, data);
    return out;
  }

  /** Appends one option reply to {@code out}; takes ownership of {@code data}. */
  static void put(ByteBuf out, int option, int type, ByteBuf data) {
    int length = data == null ? 0 : data.readableBytes();
    out.writeLong(OPTION_REPLY_MAGIC).writeInt(option).writeInt(type).writeInt(length);
    if (data != null) {
      out.writeBytes(data);
      data.release();
    }
  }
}
