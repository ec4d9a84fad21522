package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.FailCount;
import io.vigil.cluster.state.Transition.ActionProgress.Phase;
import io.vigil.model.ClusterConfig;
import io.vigil.scheduler.Scheduler;
import io.vigil.scheduler.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an operator asks of the cluster's resources: where each instance runs now and in which
 * role, where it is headed, its failures, and how many planned actions are still open. Pure:
 * derived from the replicated state with the same view the coordinator schedules from.
 */
public final class ResourceView {
  private ResourceView() {}

  /** One resource instance. */
  public record Line(String instance, String agent, Map<String, String> runningOn, String target, String targetRole,
      boolean failed, boolean managed, String reason, Map<String, Integer> failCounts) {}

  /** The instances, and the open actions of the current plan. */
  public record View(List<Line> resources, int pendingActions, int runningActions, List<String> unsupported) {}

  public static View of(ClusterState state, ClusterConfig config, boolean quorum, Instant now) {
    Transition t = Scheduler.schedule(config, StatusView.of(state, config, quorum, now), now);
    Map<String, String> agents = new TreeMap<>();
    config.allResources().forEach(r -> {
      if (r instanceof io.vigil.model.Primitive p) agents.put(p.id(), p.agent().toString());
    });
    List<Line> lines = new ArrayList<>();
    for (Transition.Placement p : t.placements()) {
      Map<String, String> running = new TreeMap<>();
      p.current().forEach((node, role) -> running.put(node, role.toString()));
      Map<String, Integer> fails = new TreeMap<>();
      for (FailCount f : state.status().failCounts().values()) {
        if (f.resource().equals(p.instanceId()) && f.count() > 0) fails.put(f.node(), f.count());
      }
      lines.add(new Line(p.instanceId(), agents.getOrDefault(p.resourceId(), ""), running, p.target().orElse(""),
          p.targetRole().toString(), p.failed(), p.managed(), p.reason() == null ? "" : p.reason(), fails));
    }
    int pending = 0;
    int running = 0;
    var cur = state.status().transition();
    if (cur != null) {
      for (var pr : cur.progress().values()) {
        if (pr.phase() == Phase.PENDING) pending++;
        if (pr.phase() == Phase.RUNNING) running++;
      }
    }
    return new View(lines, pending, running, t.unsupported());
  }
}
