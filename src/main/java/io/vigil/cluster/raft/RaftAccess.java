package io.vigil.cluster.raft;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Result;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The seam between cluster logic (coordinator, liveness driver, fencing) and Raft: propose
 * commands, read the local or leader's state, see the group. {@link RaftNode} is the real one;
 * unit tests of drivers use an in-memory fake that applies commands with the pure {@code Apply}.
 */
public interface RaftAccess {
  /** Proposes a command; completes with the state machine's answer once committed and applied. */
  CompletableFuture<Result> submit(Command command);

  /** The local replica's state (may lag the leader by a few entries). */
  ClusterState localState();

  /** The state as the leader has it (linearizable with respect to committed commands). */
  ClusterState readState() throws IOException;

  /** Leader, term, role, members and per-peer silence as this node sees them now. */
  GroupInfo info() throws IOException;

  /**
   * Asks {@code peer}'s replica of this group for an answer outside the log (Vigil's own heartbeat,
   * over the cluster's mutual TLS): completes when it answered, exceptionally when it did not.
   * Without peers to ask (in-memory fakes) it fails with {@link UnsupportedOperationException}.
   */
  default CompletableFuture<Void> ping(Peer peer) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("this raft access cannot ping peers"));
  }

  /**
   * Closes what pinging needed for any peer not in {@code peers} (a member removed, or now at another
   * address); called when the membership changes.
   */
  default void keepPingingOnly(java.util.Set<Peer> peers) {}
}
