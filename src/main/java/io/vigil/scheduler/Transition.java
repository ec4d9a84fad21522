package io.vigil.scheduler;

import io.vigil.model.Role;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the scheduler decided: where each resource instance runs now and next, the actions that
 * get it there with their ordering, the nodes to fence, and features it could not honour.
 *
 * @param placements one per primitive instance, in configuration order
 * @param actions the action graph's vertices; {@link #edges} index into this list
 * @param edges "first before then" as pairs of action indexes; the graph is acyclic
 * @param unsupported "unsupported: X" notes; a non-empty list means the result may be incomplete
 * @param failedProbes probes that found the resource not installed or misconfigured (shown as
 *     "Stopped (Not installed)" where it is stopped)
 * @param warnings deprecated but honoured features
 * @param recheckAt the earliest time after "now" at which the same inputs may give another result
 *     (a date rule's boundary, a failure's expiry): the caller should schedule again then
 * @param notifyMeta the meta attributes (Pacemaker's notification variables, {@code notify_*})
 *     each NOTIFY action passes its agent, by action index; one map per clone operation and type
 */
public record Transition(
    List<Placement> placements,
    List<Action> actions,
    List<Edge> edges,
    List<String> fenced,
    List<NodeSummary> nodes,
    List<AllocationScore> scores,
    List<String> unsupported,
    List<FailedProbe> failedProbes,
    List<String> warnings,
    Optional<java.time.Instant> recheckAt,
    java.util.Map<Integer, java.util.Map<String, String>> notifyMeta) {

  /**
   * The final allocation score of a resource (primitive, group or clone) on a node.
   *
   * @param why the steps behind it, in order ("location prefer-a: +50"), when asked for
   *     ({@link Scheduler.Options#explainScores}); empty otherwise
   */
  public record AllocationScore(String resource, String node, io.vigil.model.Score score, List<String> why) {
    public AllocationScore {
      why = List.copyOf(why);
    }

    /** A score without its explanation. */
    public AllocationScore(String resource, String node, io.vigil.model.Score score) {
      this(resource, node, score, List.of());
    }
  }

  /**
   * A probe of {@code resource} (the id as recorded) on {@code node} that failed with rc 5 (not
   * installed) or 2 (invalid parameter), or could not run the agent: Pacemaker shows the node as
   * "Stopped (Not installed)" in the resource's clone.
   */
  public record FailedProbe(String resource, String node, int rc) {
    /** The exit text crm_simulate prints for the probe's rc. */
    public String label() {
      return switch (rc) {
        case 2 -> "Invalid parameter";
        case 3 -> "Unimplemented feature";
        case 4 -> "Insufficient privileges";
        case 6 -> "Not configured";
        default -> "Not installed";
      };
    }
  }

  /** A node as the scheduler saw it. */
  public record NodeSummary(String name, io.vigil.status.NodeState state, boolean standby, boolean maintenance) {}

  public Transition {
    notifyMeta = java.util.Map.copyOf(notifyMeta);
    placements = List.copyOf(placements);
    actions = List.copyOf(actions);
    edges = List.copyOf(edges);
    fenced = List.copyOf(fenced);
    nodes = List.copyOf(nodes);
    scores = List.copyOf(scores);
    unsupported = List.copyOf(unsupported);
    failedProbes = List.copyOf(failedProbes);
    warnings = List.copyOf(warnings);
    Objects.requireNonNull(recheckAt);
  }

  /**
   * One primitive instance: where it is found ({@code current}, possibly several nodes when
   * multiply active) and where it goes.
   *
   * @param instanceId e.g. {@code db}, {@code ping:2}
   * @param resourceId the configured primitive's id
   * @param current node to role, for every node it is active on
   * @param failed whether it is failed on a current node
   * @param target the node it should run on next, empty when stopped
   * @param targetRole Stopped, Started, Unpromoted or Promoted
   * @param managed false when the cluster may not start or stop it
   */
  public record Placement(
      String instanceId,
      String resourceId,
      java.util.Map<String, Role> current,
      boolean failed,
      Optional<String> target,
      Role targetRole,
      boolean managed,
      boolean blocked,
      String reason,
      Optional<String> orphanAgent,
      boolean failureIgnored,
      boolean maintenance,
      Optional<String> blockedStart) {
    public Placement {
      Objects.requireNonNull(instanceId);
      current = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(current));
      Objects.requireNonNull(target);
      Objects.requireNonNull(targetRole);
      reason = reason == null ? "" : reason;
      Objects.requireNonNull(orphanAgent);
    }
  }

  /** Kinds of actions in a transition. */
  public enum Kind {
    PROBE, START, STOP, PROMOTE, DEMOTE, MONITOR, CANCEL, MIGRATE_TO, MIGRATE_FROM, FENCE, PSEUDO,
    /** A clone notification ({@code notify=true}) to one instance: pre or post an operation of its clone. */
    NOTIFY
  }

  /**
   * One action: {@code kind} of {@code resource} on {@code node}; monitors carry their interval.
   *
   * @param resource the instance id, or the node name for FENCE, or the clone id for a pseudo-action
   * @param task the operation in Pacemaker's action key: {@code start}, {@code monitor}, ..., for
   *     notifications {@code pre_notify_start} or {@code post_notify_start}, for pseudo-actions
   *     e.g. {@code confirmed-pre_notify_start} or {@code running}
   */
  public record Action(Kind kind, String resource, String node, long intervalMs, boolean runnable, String task) {
    public Action {
      Objects.requireNonNull(kind);
      Objects.requireNonNull(resource);
      node = node == null ? "" : node;
      task = task == null || task.isEmpty() ? defaultTask(kind) : task;
    }

    /** An action whose task is its kind's usual operation. */
    public Action(Kind kind, String resource, String node, long intervalMs, boolean runnable) {
      this(kind, resource, node, intervalMs, runnable, null);
    }

    private static String defaultTask(Kind kind) {
      return switch (kind) {
        case PROBE, MONITOR -> "monitor";
        default -> kind.name().toLowerCase(java.util.Locale.ROOT);
      };
    }

    /** Pacemaker-style key, e.g. {@code db_start_0 on n1}. */
    public String describe() {
      return resource + "_" + task + "_" + intervalMs + (node.isEmpty() ? "" : " on " + node);
    }
  }

  /** {@code first} must complete before {@code then} starts (indexes into actions). */
  public record Edge(int first, int then) {}

  public Optional<Placement> placement(String instanceId) {
    return placements.stream().filter(p -> p.instanceId().equals(instanceId)).findFirst();
  }
}
