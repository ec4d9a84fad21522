package io.vigil.agents.volume.nbd;

/** An export operation failed with an NBD error number (errno) that is sent back to the client. */
public final class NbdException extends RuntimeException {
  private final int errno;

  public NbdException(int errno, String message) {
    super(message);
    this.errno = errno;
  }

  /** The errno value sent in the simple reply. */
  public int errno() {
    return errno;
  }
}
