package io.vigil.agents.volume.replication;

/** One live, secured connection to the peer. */
public interface PeerSession {
  /** Queues a message; messages are delivered in the order sent or the session ends. */
  void send(PeerMessage m);

  /** Ends the session, logging why. */
  void close(String why);

  /** Peer address, for status and logs. */
  String remote();
}
