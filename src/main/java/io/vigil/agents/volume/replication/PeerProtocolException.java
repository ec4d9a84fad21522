package io.vigil.agents.volume.replication;

/** A peer sent bytes that are not a valid message; the link is closed (framing cannot be trusted). */
public final class PeerProtocolException extends RuntimeException {
  public PeerProtocolException(String message) {
    super(message);
  }
}
