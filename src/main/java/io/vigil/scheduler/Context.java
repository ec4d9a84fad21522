package io.vigil.scheduler;

import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Clone;
import io.vigil.model.Group;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.ResourceClass;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeState;
import io.vigil.status.NodeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The working set of one scheduler run: nodes with their effective state, and the configured
 * resources expanded into units (primitive, group, clone instance) and primitive instances.
 */
final class Context {
  final ClusterConfig config;
  final ClusterStatus status;
  final Instant now;
  final boolean fencingEnabled;
  final boolean symmetric;
  final List<String> nodes = new ArrayList<>();
  final Map<String, NodeState> nodeState = new LinkedHashMap<>();
  final Set<String> standby = new LinkedHashSet<>();
  final Set<String> maintenance = new LinkedHashSet<>();
  /** Nodes that may run what their history does not show ({@link NodeStatus#UNVERIFIED}). */
  final Set<String> unverified = new LinkedHashSet<>();
  final Set<String> unhealthy = new LinkedHashSet<>();
  final Map<String, Map<String, String>> nodeAttrs = new LinkedHashMap<>();
  final List<Unit> units = new ArrayList<>();
  final List<CloneSet> clones = new ArrayList<>();
  final Map<String, Inst> insts = new LinkedHashMap<>();
  /** Constraint id target (primitive, group, clone or cloned child id) to unit or clone. */
  final Map<String, Object> byId = new LinkedHashMap<>();
  final Map<String, Unit> unitOfPrimitive = new LinkedHashMap<>();
  /** Per node, the resource ids (as recorded) with any history there: they need no probe. */
  final Map<String, Set<String>> probedOn = new java.util.HashMap<>();
  final List<String> fence = new ArrayList<>();
  final Map<String, String> fenceReason = new LinkedHashMap<>();
  final List<String> unsupported = new ArrayList<>();
  /** Deprecated but honoured features (e.g. date-spec moon). */
  final List<String> warnings = new ArrayList<>();
  /** The earliest time after now at which a decision of this run may change (date rule, failure expiry). */
  Instant recheck;
  final List<Inst> orphans = new ArrayList<>();
  final boolean haveFencingDevice;
  /** The no-quorum-policy in force: "ignore" while the partition has quorum. */
  final String quorumPolicy;
  final Meta defaults;
  final boolean maintenanceMode;
  final boolean stopAll;
  /** Per node, the resource ids that have fail-count attributes there (to skip the rest fast). */
  final Map<String, Set<String>> failedIds = new LinkedHashMap<>();
  final Map<String, NodeStatus> statusByName;
  /** Colocations and orders with resource sets expanded into pairs. */
  final List<io.vigil.model.Colocation> colocations;
  final List<io.vigil.model.Order> orders;
  /** Orders from a require-all=false set: "then" needs any one of these to run, not "first" itself. */
  final Map<io.vigil.model.Order, List<String>> anyOf = new java.util.HashMap<>();

  /**
   * Whether a pending node has waited longer than node-pending-timeout since it joined the
   * membership (its {@code in_ccm} records the join time in seconds), as Pacemaker 2.1.7+ fences it.
   */
  static boolean pendingTimedOut(NodeStatus ns, ClusterConfig config, Instant now) {
    java.time.Duration timeout = config.properties().getOrDefault(ClusterProperties.NODE_PENDING_TIMEOUT);
    if (timeout.isZero()) return false;
    String joined = ns.inCluster().orElse("");
    if (!joined.matches("\\d{2,12}")) return false;
    return !now.isBefore(Instant.ofEpochSecond(Long.parseLong(joined)).plus(timeout));
  }

  Context(ClusterConfig config, ClusterStatus status, Instant now) {
    this.config = config;
    this.status = status;
    this.now = now;
    ClusterProperties p = config.properties();
    this.fencingEnabled = p.getOrDefault(ClusterProperties.FENCING_ENABLED);
    this.symmetric = p.getOrDefault(ClusterProperties.SYMMETRIC_CLUSTER);
    this.defaults = config.resourceDefaults();
    this.maintenanceMode = p.getOrDefault(ClusterProperties.MAINTENANCE_MODE);
    this.stopAll = p.getOrDefault(ClusterProperties.STOP_ALL_RESOURCES);
    this.haveFencingDevice = config.allResources().stream().anyMatch(
        r -> r instanceof Primitive pr && pr.agent().resourceClass() == ResourceClass.STONITH);
    String policy = status.quorum() ? "ignore" : p.getOrDefault(ClusterProperties.NO_QUORUM_POLICY);
    // suicide: every node of a partition without quorum is fenced; without fencing it means stop (Pacemaker)
    boolean suicide = policy.equals("suicide") && fencingEnabled;
    this.quorumPolicy = policy.equals("suicide") ? "stop" : policy;
    Map<String, NodeStatus> st = status.byName();
    this.statusByName = st;
    for (NodeStatus ns : st.values()) {
      Set<String> ids = new java.util.HashSet<>();
      for (String k : ns.attributes().keySet()) {
        if (!k.startsWith("fail-count-")) continue;
        String rest = k.substring("fail-count-".length());
        int hash = rest.indexOf('#');
        ids.add(hash < 0 ? rest : rest.substring(0, hash));
      }
      failedIds.put(ns.name(), ids);
    }
    for (Node n : config.nodes()) {
      nodes.add(n.name());
      NodeStatus ns = st.get(n.name());
      NodeState s = ns == null
          ? (fencingEnabled ? NodeState.UNCLEAN : NodeState.OFFLINE)
          : ns.state(fencingEnabled);
      boolean pendingTooLong = s == NodeState.PENDING && fencingEnabled && pendingTimedOut(ns, config, now);
      if (pendingTooLong) s = NodeState.UNCLEAN;
      boolean suicideNow = suicide && (s == NodeState.ONLINE || s == NodeState.SHUTTING_DOWN || s == NodeState.PENDING);
      if (suicideNow) s = NodeState.UNCLEAN;
      nodeState.put(n.name(), s);
      Map<String, String> attrs = new LinkedHashMap<>(n.attributes());
      if (ns != null) attrs.putAll(ns.attributes());
      attrs.put("#uname", n.name());
      attrs.put("#id", n.id());
      attrs.put("#kind", "cluster");
      attrs.put("#is_dc", Boolean.toString(status.dc().map(d -> d.equals(n.name()) || d.equals(n.id())).orElse(false)));
      nodeAttrs.put(n.name(), attrs);
      // a witness votes and runs nothing: always standby
      if (n.standby() || n.witness() || truthy(attrs.get("standby"))) standby.add(n.name());
      if (n.maintenance() || truthy(attrs.get("maintenance"))) maintenance.add(n.name());
      if (truthy(attrs.get(NodeStatus.UNVERIFIED))) unverified.add(n.name());
      if (suicideNow) {
        fenceReason.put(n.name(), "cluster does not have quorum");
      } else if (pendingTooLong) {
        fenceReason.put(n.name(), "peer pending timed out on joining the process group");
      } else if (s == NodeState.UNCLEAN && ns == null && fencingEnabled) {
        fenceReason.put(n.name(), "node is unclean");
      } else if (s == NodeState.UNCLEAN) {
        fenceReason.put(n.name(), "peer is no longer part of the cluster");
      }
    }
    nodes.sort(String::compareTo);
    for (Resource r : config.resources()) expand(r);
    for (Inst i : insts.values()) {
      if (i.prim.agent().type().equals("remote") && i.prim.agent().provider().equals("pacemaker")) {
        unsupported.add("unsupported: Pacemaker Remote connection '" + i.prim.id() + "'");
      }
    }
    String health = p.getOrDefault(ClusterProperties.NODE_HEALTH_STRATEGY);
    if (health.equals("progressive") || health.equals("custom")) {
      // a node's health score (node-health-base plus its #health-* values) is added to every
      // resource's score there; all zero (e.g. no health attributes) changes nothing
      for (String n : nodes) {
        if (progressiveHealth(nodeAttrs.get(n), p) != 0) {
          unsupported.add("unsupported: node-health-strategy=" + health + " with non-zero health scores");
          break;
        }
      }
    } else if (!health.equals("none")) {
      for (String n : nodes) {
        for (Map.Entry<String, String> e : nodeAttrs.get(n).entrySet()) {
          if (!e.getKey().startsWith("#health")) continue;
          String v = e.getValue().strip().toLowerCase(java.util.Locale.ROOT);
          if (v.equals("red") || (health.equals("only-green") && v.equals("yellow"))) unhealthy.add(n);
        }
      }
    }
    colocations = SetExpander.colocations(config.constraints(), unsupported);
    orders = SetExpander.orders(config.constraints(), anyOf);
  }

  static boolean truthy(String v) {
    if (v == null) return false;
    String t = v.strip().toLowerCase(java.util.Locale.ROOT);
    return t.equals("true") || t.equals("on") || t.equals("yes") || t.equals("1") || t.equals("y");
  }

  /** Pacemaker's progressive node health: node-health-base plus each #health-* attribute (a colour's configured score or a number). */
  private static long progressiveHealth(Map<String, String> attrs, ClusterProperties p) {
    long sum = parseScore(p.values().getOrDefault("node-health-base", "0"));
    for (Map.Entry<String, String> e : attrs.entrySet()) {
      if (!e.getKey().startsWith("#health")) continue;
      String v = e.getValue().strip().toLowerCase(java.util.Locale.ROOT);
      sum += switch (v) {
        case "red", "yellow", "green" -> parseScore(p.values().getOrDefault("node-health-" + v, "0"));
        default -> parseScore(v);
      };
    }
    return sum;
  }

  private static long parseScore(String s) {
    try {
      return io.vigil.model.Score.parse(s).value();
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  /** Notes that the outcome may change at {@code t} (kept when earlier than the time known so far). */
  void recheckBy(Instant t) {
    if (t.isAfter(now) && (recheck == null || t.isBefore(recheck))) recheck = t;
  }

  /** Whether a node may run resources now: online, not standby, not in maintenance. */
  boolean canRun(String node) {
    return nodeState.get(node) == NodeState.ONLINE && !standby.contains(node) && !maintenance.contains(node)
        && !unhealthy.contains(node);
  }

  private void expand(Resource r) {
    switch (r) {
      case Primitive p -> {
        Unit u = new Unit(p.id(), p, null, -1);
        addInst(u, p.id(), p, defaults.overriddenBy(p.meta()));
        units.add(u);
        byId.put(p.id(), u);
      }
      case Group g -> {
        Unit u = new Unit(g.id(), g, null, -1);
        Meta gm = defaults.overriddenBy(g.meta());
        for (Primitive m : g.members()) addInst(u, m.id(), m, gm.overriddenBy(m.meta()));
        units.add(u);
        byId.put(g.id(), u);
        for (Primitive m : g.members()) byId.putIfAbsent(m.id(), u);
      }
      case Clone c -> expandClone(c);
    }
  }

  private void expandClone(Clone c) {
    CloneSet cs = new CloneSet(c);
    Meta cm = defaults.overriddenBy(c.meta());
    int nodeCount = Math.max(1, config.nodes().size());
    cs.max = c.meta().get(Meta.CLONE_MAX).orElse(nodeCount);
    cs.nodeMax = Math.max(1, cm.getOrDefault(Meta.CLONE_NODE_MAX));
    cs.unique = cm.getOrDefault(Meta.GLOBALLY_UNIQUE);
    cs.promotable = c.promotable();
    cs.promotedMax = cm.getOrDefault(Meta.PROMOTED_MAX);
    cs.promotedNodeMax = cm.getOrDefault(Meta.PROMOTED_NODE_MAX);
    cs.priority = cm.getOrDefault(Meta.PRIORITY);
    Resource child = c.child();
    Meta childMeta = cm.overriddenBy(child.meta());
    for (int i = 0; i < cs.max; i++) {
      Unit u = new Unit(child.id() + ":" + i, child, cs, i);
      for (Primitive p : child.primitives()) {
        Meta m = child instanceof Group ? childMeta.overriddenBy(p.meta()) : childMeta;
        addInst(u, p.id() + ":" + i, p, m);
      }
      cs.instances.add(u);
    }
    clones.add(cs);
    byId.put(c.id(), cs);
    byId.put(child.id(), cs);
    for (Primitive p : child.primitives()) byId.putIfAbsent(p.id(), cs);
  }

  private void addInst(Unit u, String id, Primitive p, Meta meta) {
    Inst i = new Inst(id, p, meta, u);
    u.members.add(i);
    insts.put(id, i);
    unitOfPrimitive.putIfAbsent(p.id(), u);
    if (!meta.getOrDefault(Meta.IS_MANAGED)) i.managed = false;
    if (meta.getOrDefault(Meta.MAINTENANCE)
        || maintenanceMode) {
      i.managed = false;
      i.maintenance = true;
    }
    u.priority = Math.max(u.priority, meta.getOrDefault(Meta.PRIORITY));
  }
}
