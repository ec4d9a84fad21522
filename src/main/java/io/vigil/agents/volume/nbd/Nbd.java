package io.vigil.agents.volume.nbd;

/** Wire constants of the NBD protocol (NetworkBlockDevice/nbd doc/proto.md), fixed newstyle only. */
public final class Nbd {
  private Nbd() {}

  public static final long NBDMAGIC = 0x4e42444d41474943L;
  public static final long IHAVEOPT = 0x49484156454F5054L;
  public static final long OPTION_REPLY_MAGIC = 0x0003e889045565a9L;
  public static final int REQUEST_MAGIC = 0x25609513;
  public static final int SIMPLE_REPLY_MAGIC = 0x67446698;

  // Handshake flags (server) and client flags.
  public static final int FLAG_FIXED_NEWSTYLE = 1;
  public static final int FLAG_NO_ZEROES = 1 << 1;
  public static final int CLIENT_FLAG_FIXED_NEWSTYLE = 1;
  public static final int CLIENT_FLAG_NO_ZEROES = 1 << 1;

  // Options.
  public static final int OPT_EXPORT_NAME = 1;
  public static final int OPT_ABORT = 2;
  public static final int OPT_LIST = 3;
  public static final int OPT_STARTTLS = 5;
  public static final int OPT_INFO = 6;
  public static final int OPT_GO = 7;

  // Option reply types; errors have bit 31 set.
  public static final int REP_ACK = 1;
  public static final int REP_SERVER = 2;
  public static final int REP_INFO = 3;
  public static final int REP_ERR_UNSUP = 0x80000001;
  public static final int REP_ERR_POLICY = 0x80000002;
  public static final int REP_ERR_INVALID = 0x80000003;
  public static final int REP_ERR_UNKNOWN = 0x80000006;
  public static final int REP_ERR_TOO_BIG = 0x80000009;

  // NBD_REP_INFO types.
  public static final int INFO_EXPORT = 0;
  public static final int INFO_NAME = 1;
  public static final int INFO_DESCRIPTION = 2;
  public static final int INFO_BLOCK_SIZE = 3;

  // Transmission flags.
  public static final int TFLAG_HAS_FLAGS = 1;
  public static final int TFLAG_READ_ONLY = 1 << 1;
  public static final int TFLAG_SEND_FLUSH = 1 << 2;
  public static final int TFLAG_SEND_FUA = 1 << 3;
  public static final int TFLAG_SEND_TRIM = 1 << 5;
  public static final int TFLAG_SEND_WRITE_ZEROES = 1 << 6;
  public static final int TFLAG_CAN_MULTI_CONN = 1 << 8;

  // Command flags.
  public static final int CMD_FLAG_FUA = 1;
  public static final int CMD_FLAG_NO_HOLE = 1 << 1;

  // Commands.
  public static final int CMD_READ = 0;
  public static final int CMD_WRITE = 1;
  public static final int CMD_DISC = 2;
  public static final int CMD_FLUSH = 3;
  public static final int CMD_TRIM = 4;
  public static final int CMD_WRITE_ZEROES = 6;

  // Errors (Linux errno values, as the protocol defines them).
  public static final int EPERM = 1;
  public static final int EIO = 5;
  public static final int ENOMEM = 12;
  public static final int EINVAL = 22;
  public static final int ENOSPC = 28;
  public static final int EOVERFLOW = 75;
  public static final int ENOTSUP = 95;
  public static final int ESHUTDOWN = 108;

  /** Largest option payload accepted; names are at most 4096 bytes by the protocol. */
  public static final int MAX_OPTION_LENGTH = 64 * 1024;
  /** Largest read/write payload accepted (advertised as the maximum block size). */
  public static final int MAX_PAYLOAD = 32 * 1024 * 1024;
  /** Preferred block size advertised to clients. */
  public static final int PREFERRED_BLOCK = 4096;
}
