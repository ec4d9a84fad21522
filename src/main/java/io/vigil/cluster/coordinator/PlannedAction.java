package io.vigil.cluster.coordinator;

import java.util.List;
import java.util.Objects;

/**
 * One executable action of a plan, with the ids of the actions that must be done first.
 *
 * @param id stable within a plan: {@code kind:resource:node:interval}
 * @param kind START, STOP, PROMOTE, DEMOTE, MONITOR, PROBE, CANCEL, MIGRATE_TO, MIGRATE_FROM or FENCE
 * @param resource the instance id (clone instances {@code web:1}) or, for FENCE, the node to fence
 * @param node where the action runs; for FENCE the node that executes the fencing
 * @param after ids of actions that must be DONE before this one may start
 * @param notification for NOTIFY: the key of its variables in {@link Plan#notifications}; else ""
 */
public record PlannedAction(String id, String kind, String resource, String node, long intervalMs, List<String> after,
    String notification) {
  public PlannedAction {
    Objects.requireNonNull(id);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(resource);
    Objects.requireNonNull(node);
    after = List.copyOf(after);
    notification = notification == null ? "" : notification;
  }

  /** An action that is not a notification. */
  public PlannedAction(String id, String kind, String resource, String node, long intervalMs, List<String> after) {
    this(id, kind, resource, node, intervalMs, after, "");
  }

  static String idOf(String kind, String resource, String node, long intervalMs) {
    return io.vigil.cluster.state.ActionId.format(kind, resource, node, intervalMs);
  }

  /** The executor's action name: probe → monitor with interval 0, cancel stays cancel. */
  public String agentAction() {
    return io.vigil.cluster.state.ActionId.operationOf(kind);
  }
}
