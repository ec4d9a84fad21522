package io.vigil.cluster.raft;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Result;

/**
 * Called on the Raft apply thread after each log entry changed the local replica (the
 * coordinator's trigger to re-run the scheduler, debounced). Must return quickly and not block.
 */
@FunctionalInterface
public interface StateListener {
  void applied(long index, Command command, Result result, ClusterState state);
}
