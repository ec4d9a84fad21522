package io.vigil.agents.volume.nbd;

import static io.vigil.agents.volume.nbd.Nbd.*;

/** One transmission-phase request header; {@link #validate} is the pure admission check. */
record NbdRequest(int flags, int type, long handle, long offset, long length) {

  /** Returns 0 when the request may run against {@code export}, else the errno to reply with. */
  int validate(NbdExport export) {
    int allowedFlags = switch (type) {
      case CMD_WRITE, CMD_TRIM -> CMD_FLAG_FUA;
      case CMD_WRITE_ZEROES -> CMD_FLAG_FUA | CMD_FLAG_NO_HOLE;
      case CMD_READ, CMD_FLUSH -> 0;
      default -> -1;
    };
    if (allowedFlags == -1) return EINVAL; // unknown or unadvertised command
    if ((flags & ~allowedFlags) != 0) return EINVAL;
    if (type == CMD_FLUSH) return 0;
    if (type == CMD_READ && length > MAX_PAYLOAD) return EINVAL;
    boolean inRange = offset >= 0 && offset <= export.size() && length <= export.size() - offset;
    boolean writes = type != CMD_READ;
    if (writes && export.readOnly()) return EPERM;
    if (!inRange) return writes ? ENOSPC : EINVAL;
    return 0;
  }

  @Override
  public String toString() {
    return "request(type=" + type + ", flags=" + flags + ", offset=" + offset + ", length=" + length + ")";
  }
}
