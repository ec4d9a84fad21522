package io.vigil.scheduler;

import io.vigil.model.ClusterConfig;
import io.vigil.status.ClusterStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Vigil's scheduler: a pure, deterministic function from configuration, observed status and
 * the current time to a {@link Transition}. No I/O, no clock reads, no randomness.
 */
public final class Scheduler {
  private Scheduler() {}

  /** Probes that found the agent missing or its parameters invalid (Pacemaker's pcmk_xe_mask_probe_failure). */
  private static List<Transition.FailedProbe> failedProbes(ClusterStatus status) {
    List<Transition.FailedProbe> out = new ArrayList<>();
    for (var ns : status.nodes()) {
      for (var h : ns.resources()) {
        for (var op : h.ops()) {
          if (op.isProbe() && (op.rc() == 5 || op.rc() == 2 || op.opStatus() == io.vigil.status.OpRecord.EXEC_NOT_INSTALLED)) {
            out.add(new Transition.FailedProbe(h.resourceId(), ns.name(), op.rc()));
            break;
          }
        }
      }
    }
    return out;
  }

  /**
   * What to include beyond placement and the core actions.
   *
   * @param notifications emit clone notifications (notify=true): pre/post pseudo-actions and a
   *     NOTIFY action per instance; off by default until the executor passes the notification
   *     variables (OCF_RESKEY_CRM_meta_notify_*) to agents
   * @param explainScores record the steps behind every allocation score (costs a copy of a score
   *     table per step; off unless asked for)
   */
  public record Options(boolean notifications, boolean explainScores) {
    public static final Options DEFAULT = new Options(false, false);
    public static final Options WITH_NOTIFICATIONS = new Options(true, false);

    /** These options, recording where every allocation score comes from ({@link Transition.AllocationScore#why}). */
    public Options withExplainedScores() {
      return new Options(notifications, true);
    }
  }

  /** Computes where every resource instance should run and the actions that get it there. */
  public static Transition schedule(ClusterConfig config, ClusterStatus status, Instant now) {
    return schedule(config, status, now, Options.DEFAULT);
  }

  /** As {@link #schedule(ClusterConfig, ClusterStatus, Instant)}, with options. */
  public static Transition schedule(ClusterConfig config, ClusterStatus status, Instant now, Options options) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(now, "now");
    Context ctx = new Context(config, status, now);
    HistoryInterpreter history = new HistoryInterpreter(ctx);
    history.run();
    Allocator allocator = new Allocator(ctx, history, options.explainScores());
    allocator.run();
    RolePlanner roles = new RolePlanner(ctx);
    roles.run();
    ActionPlanner actions = new ActionPlanner(ctx, roles);
    actions.run();
    Map<Integer, Map<String, String>> notifyMeta = Map.of();
    if (options.notifications()) {
      NotifyPlanner notify = new NotifyPlanner(ctx, actions.actions, actions.edges);
      notify.run();
      notifyMeta = notify.meta;
    }
    List<Transition.Placement> placements = new ArrayList<>();
    List<Inst> all = new ArrayList<>(ctx.insts.values());
    all.addAll(ctx.orphans);
    for (Inst i : all) {
      placements.add(new Transition.Placement(i.id, i.prim.id(), i.active(), i.failedSomewhere(),
          Optional.ofNullable(i.target), i.target == null ? io.vigil.model.Role.STOPPED : i.targetRole,
          i.managed, i.blocked, i.reason,
          ctx.orphans.contains(i) ? Optional.of(i.prim.agent().toString()) : Optional.empty(),
          i.failureIgnored, i.maintenance, Optional.ofNullable(i.blockedStart)));
    }
    List<String> unsupported = ctx.unsupported.stream().distinct().toList();
    List<Transition.NodeSummary> nodes = new ArrayList<>();
    for (String n : ctx.nodes) {
      nodes.add(new Transition.NodeSummary(n, ctx.nodeState.get(n), ctx.standby.contains(n), ctx.maintenance.contains(n)));
    }
    return new Transition(placements, actions.actions, actions.edges, ctx.fence, nodes, allocator.scores(),
        unsupported, failedProbes(status), ctx.warnings, Optional.ofNullable(ctx.recheck), notifyMeta);
  }
}
