package io.vigil.scheduler.simulate;

import io.vigil.model.ClusterConfig;
import io.vigil.model.Clone;
import io.vigil.model.Group;
import io.vigil.model.Meta;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.Role;
import io.vigil.scheduler.Transition;
import io.vigil.scheduler.Transition.NodeSummary;
import io.vigil.scheduler.Transition.Placement;
import io.vigil.status.NodeState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Prints a node list and resource list in crm_simulate's layout, before or after a transition. */
final class StatusPrinter {
  private final ClusterConfig config;
  private final Transition t;
  private final boolean revised;
  private final Map<String, Placement> byInstance = new LinkedHashMap<>();
  private final Map<String, NodeSummary> nodes = new LinkedHashMap<>();
  private final Map<String, Resource> parents = new java.util.HashMap<>();
  /** Primitives inside clones: their orphan instances are printed within the clone. */
  private final java.util.Set<String> cloneChildren = new java.util.HashSet<>();

  StatusPrinter(ClusterConfig config, Transition t, boolean revised) {
    this.config = config;
    this.t = t;
    this.revised = revised;
    t.placements().forEach(p -> byInstance.put(p.instanceId(), p));
    t.nodes().forEach(n -> nodes.put(n.name(), n));
    for (Resource r : config.allResources()) for (Resource c : r.children()) parents.putIfAbsent(c.id(), r);
    for (Resource r : config.resources()) {
      if (r instanceof Clone c) c.child().primitives().forEach(p -> cloneChildren.add(p.id()));
    }
  }

  /** Where an instance is (node to role) in this view. */
  private Map<String, Role> where(Placement p) {
    if (!revised || !p.managed()) return p.current();
    Map<String, Role> m = new LinkedHashMap<>();
    p.target().ifPresent(n -> m.put(n, p.targetRole()));
    return m;
  }

  private boolean failed(Placement p) {
    return p.failed() && (!revised || !p.managed());
  }

  private boolean unclean(String node) {
    NodeSummary n = nodes.get(node);
    return n != null && n.state() == NodeState.UNCLEAN && !(revised && t.fenced().contains(node));
  }

  void print(StringBuilder out) {
    out.append("  * Node List:\n");
    List<String> online = new ArrayList<>();
    List<String> offline = new ArrayList<>();
    for (NodeSummary n : nodes.values()) {
      NodeState s = revised && t.fenced().contains(n.name()) ? NodeState.OFFLINE : n.state();
      switch (s) {
        case UNCLEAN -> out.append("    * Node ").append(n.name()).append(": UNCLEAN (offline)\n");
        case PENDING -> out.append("    * Node ").append(n.name()).append(": pending\n");
        case SHUTTING_DOWN -> out.append("    * Node ").append(n.name()).append(": online (shutting down)\n");
        case OFFLINE -> offline.add(n.name());
        case ONLINE -> {
          if (n.standby()) {
            boolean active = t.placements().stream().anyMatch(p -> where(p).containsKey(n.name()));
            out.append("    * Node ").append(n.name()).append(": standby")
                .append(active ? " (with active resources)" : "").append('\n');
          } else if (n.maintenance()) {
            out.append("    * Node ").append(n.name()).append(": maintenance\n");
          } else {
            online.add(n.name());
          }
        }
      }
    }
    if (!online.isEmpty()) out.append("    * Online: [ ").append(String.join(" ", online)).append(" ]\n");
    if (!offline.isEmpty()) out.append("    * OFFLINE: [ ").append(String.join(" ", offline)).append(" ]\n");
    out.append("\n  * Full List of Resources:\n");
    if (config.resources().isEmpty()) out.append("    * No resources\n");
    for (Resource r : config.resources()) {
      switch (r) {
        case Primitive p -> primitive(out, "    ", p, p.id());
        case Group g -> {
          out.append("    * Resource Group: ").append(g.id()).append(groupFlags(g)).append(":\n");
          for (Primitive m : g.members()) primitive(out, "      ", m, m.id());
        }
        case Clone c -> clone(out, c);
      }
    }
    for (Placement p : t.placements()) {
      if (p.orphanAgent().isEmpty() || cloneChildren.contains(p.resourceId())) continue;
      Map<String, Role> w = where(p);
      if (w.isEmpty()) continue;
      out.append("    * ").append(p.instanceId()).append('\t').append('(').append(p.orphanAgent().get())
          .append("):\t ORPHANED ").append(failed(p) ? "FAILED" : w.values().iterator().next().label()).append(' ')
          .append(w.size() == 1 ? w.keySet().iterator().next() : "[ " + String.join(" ", w.keySet()) + " ]")
          .append(p.managed() ? "" : " (unmanaged)").append('\n');
    }
  }

  private String groupFlags(Group g) {
    List<String> f = new ArrayList<>();
    boolean unmanaged = g.members().stream().map(m -> byInstance.get(m.id())).allMatch(p -> p != null && !p.managed());
    boolean maint = g.members().stream().map(m -> byInstance.get(m.id())).allMatch(p -> p != null && p.maintenance());
    if (unmanaged) f.add(maint ? "maintenance" : "unmanaged");
    if (g.meta().get(Meta.TARGET_ROLE).orElse(Role.STARTED) == Role.STOPPED) f.add("disabled");
    return f.isEmpty() ? "" : " (" + String.join(", ", f) + ")";
  }

  private static String agent(Primitive p) {
    return p.agent().toString();
  }

  private boolean disabled(Primitive p, String instanceId) {
    Placement pl = byInstance.get(instanceId);
    if (pl == null) return false;
    // the nearest target-role of the primitive, its parent and grandparent (as overriddenBy would
    // merge them, without building the merged Meta for every primitive)
    java.util.Optional<Role> role = p.meta().get(Meta.TARGET_ROLE);
    Resource parent = parents.get(p.id());
    if (role.isEmpty() && parent != null) role = parent.meta().get(Meta.TARGET_ROLE);
    Resource gp = parent == null ? null : parents.get(parent.id());
    if (role.isEmpty() && gp != null) role = gp.meta().get(Meta.TARGET_ROLE);
    return role.orElse(Role.STARTED) == Role.STOPPED;
  }

  private void primitive(StringBuilder out, String indent, Primitive prim, String instanceId) {
    primitive(out, indent, prim, instanceId, instanceId);
  }

  private void primitive(StringBuilder out, String indent, Primitive prim, String instanceId, String shownId) {
    Placement p = byInstance.get(instanceId);
    out.append(indent).append("* ").append(shownId).append('\t').append('(').append(agent(prim)).append("):\t ");
    if (p == null) {
      out.append("Stopped\n");
      return;
    }
    Map<String, Role> w = where(p);
    List<String> flags = new ArrayList<>();
    if (!p.managed()) flags.add(p.blocked() ? "blocked" : p.maintenance() ? "maintenance" : "unmanaged");
    if (disabled(prim, instanceId)) flags.add("disabled");
    if (p.failureIgnored() && !where(p).isEmpty()) flags.add("failure ignored");
    if (w.isEmpty()) {
      out.append("Stopped");
    } else {
      Role role = w.values().iterator().next();
      String state = failed(p) ? "FAILED" + (role == Role.PROMOTED ? " Promoted" : "") : role.label();
      if (w.size() == 1) {
        String node = w.keySet().iterator().next();
        out.append(state).append(' ').append(node);
        if (unclean(node)) flags.add(0, "UNCLEAN");
      } else {
        // multiply active: flags before the node list, as crm_simulate prints it
        out.append(state);
        if (!flags.isEmpty()) out.append(" (").append(String.join(", ", flags)).append(')');
        out.append(" [ ").append(String.join(" ", w.keySet())).append(" ]\n");
        return;
      }
    }
    if (!flags.isEmpty()) out.append(" (").append(String.join(", ", flags)).append(')');
    out.append('\n');
  }

  private void clone(StringBuilder out, Clone c) {
    boolean unique = c.meta().getOrDefault(Meta.GLOBALLY_UNIQUE);
    List<String> hflags = new ArrayList<>();
    if (c.promotable()) hflags.add("promotable");
    if (unique) hflags.add("unique");
    Resource child = c.child();
    List<Primitive> prims = child.primitives();
    List<Placement> first = new ArrayList<>();
    for (Placement p : t.placements()) if (p.resourceId().equals(prims.get(0).id()) && p.orphanAgent().isEmpty()) first.add(p);
    boolean allUnmanaged = !first.isEmpty() && first.stream().noneMatch(Placement::managed);
    if (allUnmanaged) hflags.add("unmanaged");
    if (c.meta().get(Meta.TARGET_ROLE).orElse(Role.STARTED) == Role.STOPPED) hflags.add("disabled");
    out.append("    * Clone Set: ").append(c.id()).append(" [").append(child.id()).append(']')
        .append(hflags.isEmpty() ? "" : " (" + String.join(", ", hflags) + ")").append(":\n");
    int count = first.size();
    TreeSet<String> promoted = new TreeSet<>();
    TreeSet<String> started = new TreeSet<>();
    TreeSet<String> activeNodes = new TreeSet<>();
    int active = 0;
    for (int i = 0; i < count; i++) {
      String suffix = ":" + i;
      List<Placement> members = new ArrayList<>();
      for (Primitive p : prims) {
        Placement pl = byInstance.get(p.id() + suffix);
        if (pl != null) members.add(pl);
      }
      boolean anyActive = members.stream().anyMatch(m -> !where(m).isEmpty());
      if (unique) {
        if (child instanceof Group g) {
          out.append("      * Resource Group: ").append(g.id()).append(suffix).append(":\n");
          for (Primitive p : prims) primitive(out, "        ", p, p.id() + suffix);
        } else {
          primitive(out, "      ", prims.get(0), prims.get(0).id() + suffix);
        }
        continue;
      }
      if (!anyActive) continue;
      members.forEach(m -> activeNodes.addAll(where(m).keySet()));
      boolean allActive = members.stream().allMatch(m -> where(m).size() == 1);
      String node = allActive ? where(members.get(0)).keySet().iterator().next() : null;
      boolean sameNode = node != null && members.stream().allMatch(m -> where(m).containsKey(node));
      boolean special = members.stream().anyMatch(m -> !m.managed() || failed(m)) || !sameNode
          || unclean(node);
      if (special) {
        // anonymous instances are printed under their base id, as crm_simulate does
        if (child instanceof Group g) {
          out.append("      * Resource Group: ").append(g.id()).append(suffix).append(":\n");
          for (Primitive p : prims) primitive(out, "        ", p, p.id() + suffix, p.id());
        } else {
          primitive(out, "      ", prims.get(0), prims.get(0).id() + suffix, prims.get(0).id());
        }
        continue;
      }
      Role role = where(members.get(0)).get(node);
      if (role == Role.PROMOTED) promoted.add(node);
      else started.add(node);
      active++;
    }
    orphanInstances(out, c, prims);
    if (!promoted.isEmpty()) out.append("      * Promoted: [ ").append(String.join(" ", promoted)).append(" ]\n");
    if (!started.isEmpty()) {
      out.append("      * ").append(c.promotable() ? "Unpromoted" : "Started").append(": [ ")
          .append(String.join(" ", started)).append(" ]\n");
    }
    if (!unique && count > active) {
      TreeSet<String> stopped = new TreeSet<>(allowedNodes(c));
      stopped.removeAll(activeNodes);
      if (!stopped.isEmpty()) {
        boolean dis = c.meta().get(Meta.TARGET_ROLE).orElse(child.meta().get(Meta.TARGET_ROLE).orElse(Role.STARTED))
            == Role.STOPPED;
        // grouped by state text, sorted as crm_simulate sorts them ("Stopped" before "Stopped (Not installed)")
        Map<String, TreeSet<String>> byState = new java.util.TreeMap<>();
        for (String n : stopped) {
          String state = t.failedProbes().stream()
              .filter(f -> f.node().equals(n) && f.resource().equals(prims.get(0).id()))
              .findFirst().map(f -> "Stopped (" + f.label() + ")").orElse(dis ? "Stopped (disabled)" : "Stopped");
          byState.computeIfAbsent(state, k -> new TreeSet<>()).add(n);
        }
        byState.forEach((state, ns) -> out.append("      * ").append(state).append(": [ ")
            .append(String.join(" ", ns)).append(" ]\n"));
      }
    }
  }

  /** Instances found only in the history (more than the clone has), under the clone as crm_simulate shows them. */
  private void orphanInstances(StringBuilder out, Clone c, List<Primitive> prims) {
    for (Placement first : t.placements()) {
      if (first.orphanAgent().isEmpty() || !first.resourceId().equals(prims.get(0).id())) continue;
      String suffix = first.instanceId().substring(first.instanceId().lastIndexOf(':'));
      List<Placement> members = new ArrayList<>();
      for (Primitive p : prims) {
        Placement m = byInstance.get(p.id() + suffix);
        if (m != null && !where(m).isEmpty()) members.add(m);
      }
      if (members.isEmpty()) continue;
      String indent = "      ";
      if (c.child() instanceof Group g) {
        out.append(indent).append("* Resource Group: ").append(g.id()).append(suffix).append(":\n");
        indent = "        ";
      }
      for (Placement m : members) {
        Map<String, Role> w = where(m);
        out.append(indent).append("* ").append(m.resourceId()).append('\t').append('(').append(m.orphanAgent().get())
            .append("):\t ORPHANED ").append(failed(m) ? "FAILED" : w.values().iterator().next().label()).append(' ')
            .append(w.size() == 1 ? w.keySet().iterator().next() : "[ " + String.join(" ", w.keySet()) + " ]")
            .append(m.managed() ? "" : " (unmanaged)").append('\n');
      }
    }
  }

  private List<String> allowedNodes(Clone c) {
    boolean symmetric = config.properties().getOrDefault(io.vigil.model.ClusterProperties.SYMMETRIC_CLUSTER);
    if (symmetric) return new ArrayList<>(nodes.keySet());
    List<String> out = new ArrayList<>();
    for (var con : config.constraints()) {
      if (con instanceof io.vigil.model.Location l
          && (l.resource().orElse("").equals(c.id()) || l.resource().orElse("").equals(c.child().id()))) {
        l.node().ifPresent(out::add);
        if (l.node().isEmpty()) out.addAll(nodes.keySet());
      }
    }
    return out;
  }
}
