package io.vigil.demo;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a failover took, computed from what was observed (pure): the cluster's history events,
 * the client's probes and samples of where the service process was alive.
 *
 * <ul>
 *   <li>{@code detectedMs}: fault → the cluster recorded the node lost;
 *   <li>{@code fencedMs}: fault → fencing of the node succeeded (-1 when fencing is disabled);
 *   <li>{@code recoveredMs}: fault → the service's start succeeded on another node;
 *   <li>{@code totalMs}: fault → the first answer from another node as a client sees it;
 *   <li>{@code dualActiveMs}: time the service ran on two nodes at once (sampled) or answered from
 *       the old node after the new one had answered — 0 is the only acceptable value.
 * </ul>
 * A value that was never observed is -1.
 */
public record FailoverTimeline(Instant faultAt, String victim, String newNode, long detectedMs, long fencedMs,
    long recoveredMs, long totalMs, long dualActiveMs, long failedProbes) {

  /** A history event as the control socket reports it. */
  public record ClusterEvent(long timeMillis, String kind, String node, String resource, String text) {}

  /** Where the service was alive at a moment (CLOCK_MONOTONIC). */
  public record Sample(long nanos, Set<String> nodes) {}

  /** The timeline of a fault of {@code victim} at {@code faultMillis} (wall) = {@code faultNanos} (monotonic). */
  public static FailoverTimeline of(String victim, long faultMillis, long faultNanos, String service,
      List<ClusterEvent> events, List<Probe> probes, List<Sample> samples) {
    long detected = first(events, faultMillis, e -> e.kind().equals("NODE") && e.node().equals(victim) && e.text().startsWith("node lost"));
    long fenced = first(events, faultMillis, e -> e.kind().equals("FENCING") && e.node().equals(victim) && e.text().contains("succeeded"));
    ClusterEvent start = events.stream()
        .filter(e -> e.timeMillis() >= faultMillis && e.kind().equals("ACTION") && e.resource().equals(service)
            && !e.node().equals(victim) && e.text().startsWith("start rc 0"))
        .findFirst().orElse(null);
    Probe firstNew = probes.stream()
        .filter(p -> p.startNanos() >= faultNanos && p.ok() && !p.node().equals(victim) && !p.node().equals("?"))
        .min(java.util.Comparator.comparingLong(Probe::endNanos)).orElse(null);
    String newNode = firstNew != null ? firstNew.node() : start != null ? start.node() : "";
    long total = firstNew == null ? -1 : Math.max(0, (firstNew.endNanos() - faultNanos) / 1_000_000);
    long failed = probes.stream().filter(p -> p.startNanos() >= faultNanos && !p.ok()).count();
    return new FailoverTimeline(Instant.ofEpochMilli(faultMillis), victim, newNode, detected, fenced,
        start == null ? -1 : start.timeMillis() - faultMillis, total, dualActive(victim, firstNew, probes, samples), failed);
  }

  private static long first(List<ClusterEvent> events, long faultMillis, java.util.function.Predicate<ClusterEvent> p) {
    return events.stream().filter(e -> e.timeMillis() >= faultMillis).filter(p).findFirst()
        .map(e -> e.timeMillis() - faultMillis).orElse(-1L);
  }

  /** Sampled time with the service alive on two or more nodes, or the old node answering after the new one did. */
  static long dualActive(String victim, Probe firstNew, List<Probe> probes, List<Sample> samples) {
    long nanos = 0;
    for (int i = 0; i + 1 < samples.size(); i++) {
      if (samples.get(i).nodes().size() >= 2) nanos += samples.get(i + 1).nanos() - samples.get(i).nanos();
    }
    if (firstNew != null) {
      long lastOld = probes.stream().filter(p -> p.ok() && p.node().equals(victim) && p.endNanos() > firstNew.endNanos())
          .mapToLong(Probe::endNanos).max().orElse(firstNew.endNanos());
      nanos = Math.max(nanos, lastOld - firstNew.endNanos());
    }
    return nanos / 1_000_000;
  }

  /** One JSON object (the last line of {@code vigil demo --json}); -1 (never observed) is null. */
  public String json(String mode, String fault) {
    return json(mode, fault, java.util.Map.of());
  }

  /** The same, with {@code settings} (e.g. the timing settings and the daemons' JIT) after mode and fault. */
  public String json(String mode, String fault, java.util.Map<String, String> settings) {
    com.fasterxml.jackson.databind.node.ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    n.put("mode", mode).put("fault", fault);
    new java.util.TreeMap<>(settings).forEach(n::put);
    n.put("victim", victim).put("new_node", newNode).put("fault_at", faultAt.toString());
    putMillis(n, "detected_ms", detectedMs);
    putMillis(n, "fenced_ms", fencedMs);
    putMillis(n, "recovered_ms", recoveredMs);
    putMillis(n, "total_ms", totalMs);
    n.put("dual_active_ms", dualActiveMs).put("failed_probes", failedProbes);
    return n.toString();
  }

  private static void putMillis(com.fasterxml.jackson.databind.node.ObjectNode n, String key, long ms) {
    if (ms < 0) n.putNull(key);
    else n.put(key, ms);
  }
}
