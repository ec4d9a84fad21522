package io.vigil.status;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The recorded state of one node ({@code node_state}): membership as reported by the cluster
 * layer, transient attributes and the operation history of every resource seen there.
 *
 * @param inCluster cluster-layer membership ({@code in_ccm}): "true"/"false" or a join epoch
 *     ("0" = not a member); empty when never seen
 * @param controller controller liveness ({@code crmd}): "online"/"offline" or an epoch
 * @param join controller join state: member, down, pending, banned (nack)
 * @param expected the state the cluster expects: member or down
 * @param attributes transient node attributes (fail counts, promotion scores, shutdown, ...)
 * @param utilization transient capacity, overriding the configured node utilization by name
 */
public record NodeStatus(
    String name,
    String id,
    Optional<String> inCluster,
    Optional<String> controller,
    Optional<String> join,
    Optional<String> expected,
    Map<String, String> attributes,
    List<ResourceHistory> resources,
    Map<String, Integer> utilization) {

  /**
   * Transient attribute set on a node that may run resources its history does not show: lost
   * but not fenced, and its lease (or a fencing pause) not over yet. A resource never seen there
   * starts nowhere until the node is probed or known down, as with a node still joining.
   */
  public static final String UNVERIFIED = "#unverified";

  /** Prefix of the node attributes that are promotion scores, as {@code crm_master} names them. */
  public static final String PROMOTION_SCORE_PREFIX = "master-";

  /** The promotion score attribute of {@code resource} (a primitive, or a unique clone instance). */
  public static String promotionScore(String resource) {
    return PROMOTION_SCORE_PREFIX + resource;
  }

  /**
   * A node attribute that forbids promoting {@code resource} (a primitive id) on the node whatever
   * its promotion score says, as the -INFINITY Promoted-role constraint DRBD's fence-peer handler
   * adds: a replicated volume's Primary sets it on a peer that misses its writes. An agent that
   * sets its own score cannot undo it; the veto goes when its value is deleted.
   */
  public static String promotionVeto(String resource) {
    return "no-promote-" + resource;
  }

  public NodeStatus {
    Objects.requireNonNull(name, "name");
    id = id == null ? name : id;
    Objects.requireNonNull(inCluster);
    Objects.requireNonNull(controller);
    Objects.requireNonNull(join);
    Objects.requireNonNull(expected);
    attributes = Map.copyOf(attributes);
    resources = List.copyOf(resources);
    utilization = Map.copyOf(utilization);
  }

  /** A node that is a full member running the controller, with the given history. */
  public static NodeStatus online(String name, List<ResourceHistory> resources) {
    return new NodeStatus(name, name, Optional.of("true"), Optional.of("online"), Optional.of("member"),
        Optional.of("member"), Map.of(), resources, Map.of());
  }

  /** A node that left the cluster cleanly. */
  public static NodeStatus offline(String name) {
    return new NodeStatus(name, name, Optional.of("false"), Optional.of("offline"), Optional.of("down"),
        Optional.of("down"), Map.of(), List.of(), Map.of());
  }

  public NodeStatus withAttributes(Map<String, String> attrs) {
    return new NodeStatus(name, id, inCluster, controller, join, expected, attrs, resources, utilization);
  }

  public NodeStatus withResources(List<ResourceHistory> histories) {
    return new NodeStatus(name, id, inCluster, controller, join, expected, attributes, histories, utilization);
  }

  public NodeStatus withMembership(String inCcm, String crmd, String joinState, String expectedState) {
    return new NodeStatus(name, id, Optional.ofNullable(inCcm), Optional.ofNullable(crmd),
        Optional.ofNullable(joinState), Optional.ofNullable(expectedState), attributes, resources, utilization);
  }

  public Optional<ResourceHistory> history(String resourceId) {
    return resources.stream().filter(h -> h.resourceId().equals(resourceId)).findFirst();
  }

  /** Whether the node asked to shut down (transient attribute {@code shutdown} non-zero). */
  public boolean shutdownRequested() {
    String v = attributes.get("shutdown");
    return v != null && !v.isBlank() && !v.strip().equals("0") && !v.strip().equalsIgnoreCase("false");
  }

  /** Whether fencing was requested for the node (transient attribute {@code terminate}). */
  public boolean terminateRequested() {
    String v = attributes.get("terminate");
    if (v == null) return false;
    String t = v.strip().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("1")) return true;
    try {
      return Long.parseLong(t) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Derives the node's state with Pacemaker's rules: a member without its controller, or a lost
   * member that was expected up, is UNCLEAN when fencing is enabled; a member still joining is
   * PENDING; a node never seen is UNCLEAN (startup fencing) when fencing is enabled.
   */
  public NodeState state(boolean fencingEnabled) {
    long member = member();
    long online = controllerOnline();
    boolean expectedUp = expected.map(e -> e.equalsIgnoreCase("member")).orElse(false);
    if (shutdownRequested()) {
      return online > 0 ? NodeState.SHUTTING_DOWN : NodeState.OFFLINE;
    }
    String j = join.orElse(null);
    if (!fencingEnabled) {
      if (member <= 0) return NodeState.OFFLINE;
      if (online > 0) return "member".equalsIgnoreCase(j) ? NodeState.ONLINE : NodeState.PENDING;
      return expectedUp ? NodeState.UNCLEAN : NodeState.OFFLINE;
    }
    if (member < 0) return NodeState.UNCLEAN;
    if ("nack".equals(j)) return NodeState.UNCLEAN;
    if (terminateRequested()) {
      return member <= 0 && online <= 0 && "down".equals(j) ? NodeState.OFFLINE : NodeState.UNCLEAN;
    }
    if (expected.isEmpty() || expected.get().equals("down")) {
      return member > 0 || online > 0 ? NodeState.PENDING : NodeState.OFFLINE;
    }
    if (member <= 0) return NodeState.UNCLEAN;
    if (online <= 0) return NodeState.UNCLEAN;
    if ("member".equals(j)) return NodeState.ONLINE;
    if ("pending".equals(j) || "down".equals(j)) return NodeState.PENDING;
    return NodeState.UNCLEAN;
  }

  private long member() {
    if (inCluster.isEmpty()) return -1;
    String v = inCluster.get().strip().toLowerCase(java.util.Locale.ROOT);
    switch (v) {
      case "true", "yes", "on", "y" -> {
        return 1;
      }
      case "false", "no", "off", "n" -> {
        return 0;
      }
      default -> {}
    }
    try {
      long t = Long.parseLong(v);
      return t < 0 ? -1 : t;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private long controllerOnline() {
    if (controller.isEmpty()) return 0;
    String v = controller.get().strip().toLowerCase(java.util.Locale.ROOT);
    if (v.equals("offline")) return 0;
    if (v.equals("online")) return 1;
    try {
      return Math.max(0, Long.parseLong(v));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
