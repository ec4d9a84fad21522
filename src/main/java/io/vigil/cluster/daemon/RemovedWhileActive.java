package io.vigil.cluster.daemon;

import io.vigil.cluster.coordinator.ResourceView;
import io.vigil.cluster.coordinator.StatusView;
import io.vigil.cluster.state.ClusterState;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Primitive;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Primitives a new configuration removes while they are still active somewhere. The cluster stops
 * a resource with its agent and parameters; once the configuration no longer has them, a running
 * instance could only be left running (as an unmanageable orphan). So {@code apply} refuses such a
 * configuration, as crmsh refuses to delete a running resource: stop it first (target-role Stopped),
 * then remove it. Pure: from the replicated state and the two configurations.
 */
final class RemovedWhileActive {
  private RemovedWhileActive() {}

  /** A removed primitive and where it runs (node to role). */
  record Active(String resource, java.util.SortedMap<String, String> on) {
    @Override
    public String toString() {
      return resource + " on " + on.entrySet().stream().map(n -> n.getKey() + " (" + n.getValue() + ")").collect(Collectors.joining(", "));
    }
  }

  /** Each removed primitive that runs somewhere; empty when none does (or there was no configuration). */
  static List<Active> find(ClusterState state, ClusterConfig current, ClusterConfig next, boolean quorum, Instant now) {
    if (current == null) return List.of();
    Set<String> kept = next.allResources().stream().filter(r -> r instanceof Primitive).map(r -> r.id()).collect(Collectors.toSet());
    TreeMap<String, TreeMap<String, String>> active = new TreeMap<>();
    for (ResourceView.Line l : ResourceView.of(state, current, quorum, now).resources()) {
      String base = StatusView.baseId(l.instance());
      if (kept.contains(base) || l.runningOn().isEmpty()) continue;
      active.computeIfAbsent(base, k -> new TreeMap<>()).putAll(l.runningOn());
    }
    return active.entrySet().stream().map(e -> new Active(e.getKey(), e.getValue())).toList();
  }

  /** The refusal's message for {@link #find}'s lines. */
  static String message(String file, List<Active> active) {
    return file + ": the new configuration removes " + active.size() + " resource(s) that are still active: "
        + active.stream().map(Active::toString).collect(Collectors.joining("; "))
        + ". The cluster stops a resource with its agent and parameters, which a removed resource no longer has, so it would be"
        + " left running. Set target-role: Stopped on them (meta), apply, wait until they have stopped (vigil status), then"
        + " remove them (vigil apply --stop-removed does these steps); nothing was applied";
  }
}
