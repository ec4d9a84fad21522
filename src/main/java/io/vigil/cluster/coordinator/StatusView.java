package io.vigil.cluster.coordinator;

import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.FailCount;
import io.vigil.cluster.state.OpResult;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Node;
import io.vigil.model.Primitive;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The scheduler's view of the replicated state: node membership as the scheduler's status model
 * spells it, operation history per node and resource, and fail counts as transient attributes.
 *
 * <p>Node states map as: ONLINE → member; STANDBY / MAINTENANCE → member with the
 * {@code standby} / {@code maintenance} attribute; LOST → expected member but gone (unclean: it
 * must be fenced before its resources are recovered; while a fencing pause covers it, it is shown
 * in maintenance: neither fenced nor recovered; so it is while its lease runs with fencing
 * disabled, and then it is also {@link NodeStatus#UNVERIFIED}); an action a node claimed and
 * has not reported is pending in its history (Pacemaker's record-pending); FENCED → cleanly down
 * with its operation history void (it runs nothing); never seen → down.
 */
public final class StatusView {
  /** Pacemaker's rc for an action that timed out (PCMK_OCF_TIMEOUT). */
  static final int RC_TIMEOUT = 198;

  private StatusView() {}

  /**
   * How long after a node was marked lost its lease has provably run out, when fencing is
   * disabled: the lease a node honours (it stops its resources and its watchdog fires before
   * then) with the clock-drift allowance and the survivors' safety margin ({@link Lease#defaults}).
   */
  static final java.time.Duration LOST_NODE_LEASE = java.time.Duration.ofNanos(
      io.vigil.cluster.liveness.Lease.defaults().peerExpiry(0));

  public static ClusterStatus of(ClusterState state, ClusterConfig config, boolean quorum) {
    return of(state, config, quorum, Instant.MAX);
  }

  /**
   * The view at {@code now}. With fencing disabled, a lost node whose lease may still run is shown
   * in maintenance: what it ran is left where it was, nothing is recovered yet. Once the lease has
   * run out it is shown down and its resources are recovered.
   */
  public static ClusterStatus of(ClusterState state, ClusterConfig config, boolean quorum, Instant now) {
    boolean fencing = config.properties().getOrDefault(io.vigil.model.ClusterProperties.FENCING_ENABLED);
    java.util.Set<String> anonymous = anonymousClonePrimitives(config);
    Map<String, List<OpResult>> opsByNode = new TreeMap<>();
    state.status().operations().values().forEach(r -> opsByNode.computeIfAbsent(r.node(), k -> new ArrayList<>())
        .add(historyOf(r, anonymous)));
    Map<String, String> agents = new HashMap<>();
    config.allResources().forEach(r -> {
      if (r instanceof Primitive p) agents.put(p.id(), p.agent().toString());
    });
    List<NodeStatus> nodes = new ArrayList<>();
    for (Node n : config.nodes()) {
      var recorded = Optional.ofNullable(state.status().nodes().get(n.name()));
      Map<String, String> attrs = new LinkedHashMap<>();
      recorded.ifPresent(r -> attrs.putAll(r.attributes()));
      failAttributes(state, n.name(), attrs, config.properties().getOrDefault(io.vigil.model.ClusterProperties.START_FAILURE_IS_FATAL),
          anonymous);
      NodeStatus base = recorded.map(r -> switch (r.state()) {
        case ONLINE -> NodeStatus.online(n.name(), List.of());
        case STANDBY -> {
          attrs.put("standby", "on");
          yield NodeStatus.online(n.name(), List.of());
        }
        case MAINTENANCE -> {
          attrs.put("maintenance", "on");
          yield NodeStatus.online(n.name(), List.of());
        }
        case LOST -> {
          long leaseEnds = r.sinceMillis() + LOST_NODE_LEASE.toMillis();
          long nowMillis = now.equals(Instant.MAX) ? Long.MAX_VALUE : now.toEpochMilli();
          // A fencing pause covering the node blocks it like a node in maintenance: not fenced, and
          // nothing it ran is recovered until the pause ends or an operator confirms it is down.
          boolean paused = fencing && state.fencingPauses().stream().anyMatch(p -> p.covers(n.name(), nowMillis));
          if (n.witness() && ranNothing(opsByNode.getOrDefault(n.name(), List.of()))) {
            // a witness that never ran anything has nothing to recover: cleanly down, not fenced
            yield NodeStatus.offline(n.name());
          }
          // A node lost while in maintenance is never fenced, and what it ran is never recovered elsewhere.
          if (paused || r.lostInMaintenance() || (!fencing && nowMillis < leaseEnds)) {
            attrs.put("maintenance", "on");
            // Not known down: it may run what its history does not show (forgotten when it last
            // rejoined); what it claimed and never reported is pending in its history.
            if (!r.lostInMaintenance()) attrs.put(NodeStatus.UNVERIFIED, "true");
            yield NodeStatus.online(n.name(), List.of());
          }
          yield NodeStatus.online(n.name(), List.of()).withMembership("false", "offline", "member", "member");
        }
        case FENCED -> NodeStatus.offline(n.name());
      }).orElseGet(() -> NodeStatus.offline(n.name()));
      // A fenced node is known to run nothing: its history is void, as Pacemaker erases it after fencing.
      boolean fenced = recorded.map(r -> r.state() == io.vigil.cluster.state.NodeState.FENCED).orElse(false);
      List<OpResult> history = fenced ? List.of() : opsByNode.getOrDefault(n.name(), List.of());
      nodes.add(base.withAttributes(attrs).withResources(histories(history, agents)));
    }
    return new ClusterStatus(nodes, quorum, Optional.empty(), Optional.empty());
  }

  /**
   * Whether a node's operation history shows nothing that ever ran there: no start, promote or
   * migration, and no probe or monitor that found something running (rc 0 or 8). Conservative: a
   * witness that ever ran anything is fenced like any node when it is lost.
   */
  static boolean ranNothing(List<OpResult> history) {
    return history.stream().noneMatch(r -> switch (r.operation()) {
      case "start", "promote", "migrate_to", "migrate_from" -> true;
      case "monitor", "probe" -> r.rc() == 0 || r.rc() == 8;
      default -> false;
    });
  }

  /** Fail counts as attributes; a failed start counts as INFINITY when start-failure-is-fatal, as Pacemaker's controller records it. */
  private static void failAttributes(ClusterState state, String node, Map<String, String> attrs, boolean startFailureIsFatal,
      java.util.Set<String> anonymous) {
    Map<String, FailCount> byResource = new TreeMap<>();
    for (FailCount f : state.status().failCounts().values()) {
      if (!f.node().equals(node) || f.count() <= 0) continue;
      // an anonymous clone's instances on one node are one history, as their fail counts are
      String id = anonymous.contains(baseId(f.resource())) ? baseId(f.resource()) : f.resource();
      byResource.merge(id, f, (x, y) -> y.lastFailureMillis() > x.lastFailureMillis()
          ? new FailCount(y.resource(), y.node(), x.count() + y.count(), y.lastFailureMillis(), y.lastRc(), y.lastOperation())
          : new FailCount(x.resource(), x.node(), x.count() + y.count(), x.lastFailureMillis(), x.lastRc(), x.lastOperation()));
    }
    byResource.forEach((id, f) -> {
      boolean fatal = startFailureIsFatal && f.lastOperation().equals("start");
      attrs.put("fail-count-" + id, fatal ? "INFINITY" : String.valueOf(f.count()));
      attrs.put("last-failure-" + id, String.valueOf(Math.floorDiv(f.lastFailureMillis(), 1000)));
    });
  }

  /**
   * Primitives inside clones that are not globally unique (anonymous). Their instances are
   * interchangeable and the agent does not know the instance number (one process per node
   * answers for whichever instance the plan names), so the view keeps one history per node under
   * the primitive's id, as Pacemaker records anonymous clones, and the scheduler maps it to an
   * instance ({@code find_anonymous_clone}).
   */
  static java.util.Set<String> anonymousClonePrimitives(ClusterConfig config) {
    java.util.Set<String> out = new java.util.HashSet<>();
    // clones are top-level resources: their meta is the resource defaults overridden by their own
    for (var r : config.resources()) {
      if (r instanceof io.vigil.model.Clone c
          && !config.resourceDefaults().overriddenBy(c.meta()).getOrDefault(io.vigil.model.Meta.GLOBALLY_UNIQUE)) {
        if (c.child() instanceof Primitive p) out.add(p.id());
        if (c.child() instanceof io.vigil.model.Group g) g.members().forEach(m -> out.add(m.id()));
      }
    }
    return out;
  }

  private static OpResult historyOf(OpResult r, java.util.Set<String> anonymous) {
    String base = baseId(r.resource());
    if (base.equals(r.resource()) || !anonymous.contains(base)) return r;
    return new OpResult(base, r.node(), r.operation(), r.intervalMillis(), r.rc(), r.callId(), r.startedMillis(),
        r.durationMillis(), r.failed(), r.output());
  }

  private static List<ResourceHistory> histories(List<OpResult> results, Map<String, String> agents) {
    // The scheduler orders a resource's operations by an int call id; the executor's call ids are
    // longs (epoch millis x 1000) that do not fit. Their rank on the node keeps the order exactly
    // (a plain cast clamped them all to one value, and a stop could then look newer than the start after it).
    List<OpResult> ordered = new ArrayList<>(results);
    ordered.sort(java.util.Comparator.comparingLong(OpResult::callId).thenComparingLong(OpResult::startedMillis));
    Map<String, List<OpRecord>> byResource = new TreeMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      OpResult r = ordered.get(i);
      byResource.computeIfAbsent(r.resource(), k -> new ArrayList<>()).add(record(r, i + 1));
    }
    List<ResourceHistory> out = new ArrayList<>();
    byResource.forEach((rsc, ops) -> out.add(new ResourceHistory(rsc, agents.getOrDefault(baseId(rsc), ""), ops)));
    return out;
  }

  static OpRecord record(OpResult r, int callId) {
    boolean timedOut = r.rc() == RC_TIMEOUT;
    int opStatus = r.pending() ? OpRecord.EXEC_PENDING : timedOut ? OpRecord.EXEC_TIMEOUT : OpRecord.EXEC_DONE;
    int rc = timedOut ? 1 : r.rc();
    String id = r.resource() + "_" + r.operation() + "_" + r.intervalMillis();
    // The executor judged the result knowing what it expected (a Promoted monitor expects 8): a
    // success expected what it got; a failure that returned 0 expected 8; otherwise the default.
    int expected = !r.failed() ? rc : r.rc() == 0 ? 8 : -1;
    return new OpRecord(id, r.operation(), r.intervalMillis(), rc, opStatus, callId,
        expected, Optional.of(Instant.ofEpochMilli(r.startedMillis())), r.durationMillis(), Optional.empty(), Optional.empty());
  }

  /** {@code web:1} → {@code web}. */
  public static String baseId(String instance) {
    int colon = instance.lastIndexOf(':');
    return colon < 0 ? instance : instance.substring(0, colon);
  }
}
