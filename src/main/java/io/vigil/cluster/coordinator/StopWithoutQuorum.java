package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.OpResult;
import io.vigil.exec.AgentRunner;
import io.vigil.exec.ExecResult;
import io.vigil.exec.Invocation;
import io.vigil.model.ClusterConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of "this node lost quorum": stops (or demotes) what {@link LocalActive} says may run
 * here, newest first, with the configured stop when the resource is still configured, else with
 * what started it. Returns the results to record once quorum is back (nothing can be recorded now).
 */
final class StopWithoutQuorum {
  private static final Logger LOG = LoggerFactory.getLogger(StopWithoutQuorum.class);
  private final LocalActive local;
  private final AgentRunner agents;
  private final String node;
  private final Clock clock;
  private final LongSupplier callIds;
  private final BooleanSupplier quorate;

  StopWithoutQuorum(LocalActive local, AgentRunner agents, String node, Clock clock, LongSupplier callIds, BooleanSupplier quorate) {
    this.local = local;
    this.agents = agents;
    this.node = node;
    this.clock = clock;
    this.callIds = callIds;
    this.quorate = quorate;
  }

  /** {@code beforeEach} hears each instance's id just before its stop or demotion. */
  List<Command> run(ClusterConfig config, boolean demoteOnly, long mustStopByNanos, java.util.function.Consumer<String> beforeEach) {
    List<Command> results = new ArrayList<>();
    long t0 = System.nanoTime();
    int done = 0;
    String action = demoteOnly ? "demote" : "stop";
    for (var e : local.newestFirst()) {
      if (quorate.getAsBoolean()) break; // quorum is back: the leader takes over from here
      String id = e.getKey();
      if (demoteOnly && !e.getValue().promoted()) continue;
      beforeEach.accept(id);
      ExecResult r = agents.run(invocation(config, id, action, e.getValue().invocation()));
      if (r.rc() == 0) {
        if (demoteOnly) local.demoted(id);
        else local.stopped(id);
        done++;
      } else {
        LOG.error("quorum lost: {} of {} failed (rc {}): it may still run here when the lease ends", action, id, r.rc());
      }
      results.add(new Command.RecordOperation(new OpResult(id, node, action, 0, r.rc(), callIds.getAsLong(), clock.millis(),
          Math.max(0, r.duration().toMillis()), r.rc() != 0, r.output() == null ? "" : r.output()), node, clock.millis()));
    }
    LOG.warn("quorum lost: {} {} resource(s) in {} ms ({} ms before the lease deadline)", demoteOnly ? "demoted" : "stopped",
        done, (System.nanoTime() - t0) / 1_000_000, (mustStopByNanos - System.nanoTime()) / 1_000_000);
    return results;
  }

  private static Invocation invocation(ClusterConfig config, String id, String action, Invocation started) {
    try {
      if (config != null) {
        String kind = action.toUpperCase(java.util.Locale.ROOT);
        return ActionInvocations.of(config, new PlannedAction(kind + ":" + id, kind, id, "", 0, List.of()));
      }
    } catch (IOException | RuntimeException e) {
      // not in the configuration any more: stop it with what started it
    }
    return started.withAction(action);
  }
}
