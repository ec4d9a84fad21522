package io.vigil.cluster.coordinator;

import io.vigil.cluster.raft.GroupInfo;
import io.vigil.cluster.raft.RaftAccess;
import io.vigil.cluster.state.Apply;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.Result;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory Raft for driving {@link CoordinatorService} (node n1, a follower of n2) in unit tests:
 * proposals apply at once to {@code truth} with the pure Apply; local reads see {@code local}, which
 * a test may leave stale (a daemon that restarted on a log that lags the cluster).
 */
final class LaggingRaft implements RaftAccess {
  volatile ClusterState local;
  volatile ClusterState truth;
  final List<Command> proposed = new CopyOnWriteArrayList<>();
  final List<Result> answers = new CopyOnWriteArrayList<>();

  /** Whether local reads stay where they were; otherwise they follow every applied proposal. */
  private final boolean lagging;

  LaggingRaft(ClusterState local, ClusterState truth) {
    this.local = local;
    this.truth = truth;
    this.lagging = local != truth;
  }

  /** Submissions still to fail as undelivered (a Raft group switching), before any is applied. */
  volatile int failNext;

  /** Proposals matching this are committed only once {@link #release} completes (a slow commit). */
  volatile java.util.function.Predicate<Command> hold = c -> false;
  final CompletableFuture<Void> release = new CompletableFuture<>();

  @Override
  public CompletableFuture<Result> submit(Command command) {
    if (hold.test(command)) return release.thenApply(v -> commit(command).join());
    return commit(command);
  }

  private synchronized CompletableFuture<Result> commit(Command command) {
    if (failNext > 0) {
      failNext--;
      return CompletableFuture.failedFuture(new java.io.IOException("raft group is switching"));
    }
    Apply.Outcome o = Apply.apply(truth, command);
    truth = o.state();
    if (!lagging) local = truth;
    proposed.add(command);
    answers.add(o.result());
    return CompletableFuture.completedFuture(o.result());
  }

  @Override
  public ClusterState localState() {
    return local;
  }

  @Override
  public ClusterState readState() {
    return truth;
  }

  @Override
  public GroupInfo info() {
    return new GroupInfo("n1", "n2", "FOLLOWER", 1, 0, List.of(), Map.of());
  }
}
