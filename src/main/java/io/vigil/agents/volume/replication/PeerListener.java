package io.vigil.agents.volume.replication;

import java.util.concurrent.CompletableFuture;

/** Receives session events from a {@link PeerLink}; called on the link's event loop. */
public interface PeerListener {
  /** The Hello to send on a freshly secured connection (a snapshot of this node's state). */
  CompletableFuture<PeerMessage.Hello> hello();

  /** The peer answered with its Hello: the session is authenticated and established. */
  void connected(PeerSession session, PeerMessage.Hello sent, PeerMessage.Hello received);

  void message(PeerSession session, PeerMessage message);

  /** Where the data arrays of received writes come from (the listener may recycle them). */
  default java.util.function.IntFunction<byte[]> blockArrays() {
    return byte[]::new;
  }

  /**
   * An administrative request from the peer node, received on an authenticated connection of its own
   * (also while this node is StandAlone); the future's text (or failure message) is the reply.
   */
  default CompletableFuture<String> admin(String request) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("no administrative requests here"));
  }

  /** An established session ended. */
  void disconnected(PeerSession session, String why);
}
