package io.vigil.config.cib;

import io.vigil.model.Clone;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Colocation;
import io.vigil.model.Constraint;
import io.vigil.model.FencingLevel;
import io.vigil.model.Group;
import io.vigil.model.Location;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.Operation;
import io.vigil.model.Order;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.ResourceClass;
import io.vigil.model.ResourceSet;
import io.vigil.model.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Second pass over a converted configuration: resolves what Pacemaker tolerates but Vigil's
 * checker rejects, the way Pacemaker behaves (a constraint naming a clone's child means the clone,
 * a Promoted role on a resource that cannot be promoted is ignored), and drops what cannot
 * apply (references to nodes or devices that do not exist), with a note for each.
 */
final class Reconciler {
  private final CibContext ctx;
  private final Set<String> requireAnyOrders;
  private final Set<String> cloneMinOne = new HashSet<>();
  private final Set<String> droppedOrders = new HashSet<>();
  private ClusterConfig config;
  private Map<String, Resource> byId;
  private Map<String, Resource> parents = Map.of();

  /** @param requireAnyOrders orders with the deprecated require-all=false whose first is a clone */
  Reconciler(CibContext ctx, Set<String> requireAnyOrders) {
    this.ctx = ctx;
    this.requireAnyOrders = requireAnyOrders;
  }

  ClusterConfig reconcile(ClusterConfig input) {
    config = input;
    requireAll(input);
    List<Node> nodes = nodes(input.nodes());
    List<Resource> resources = new ArrayList<>();
    for (Resource r : input.resources()) resources.add(resource(r, false));
    config = new ClusterConfig(input.name(), nodes, resources, input.constraints(), input.properties(),
        input.resourceDefaults(), input.operationDefaults(), input.fencingLevels());
    byId = config.resourcesById();
    parents = config.parents();
    return new ClusterConfig(config.name(), nodes, resources, constraints(input.constraints()), config.properties(),
        config.resourceDefaults(), config.operationDefaults(), fencing(input.fencingLevels()));
  }

  // ---- require-all=false on orders

  /**
   * Pacemaker reads require-all=false on an order as clone-min=1 for that ordering. When every
   * ordering that has the clone first says so, and the clone sets no clone-min, clone-min=1 on
   * the clone means exactly that; otherwise the orders cannot be expressed and are dropped.
   */
  private void requireAll(ClusterConfig input) {
    Map<String, Resource> ids = input.resourcesById();
    for (Constraint c : input.constraints()) {
      if (!(c instanceof Order o) || !requireAnyOrders.contains(o.id())) continue;
      String clone = o.first().orElseThrow();
      boolean hasMin = ids.get(clone) != null && ids.get(clone).meta().get(Meta.CLONE_MIN).isPresent();
      boolean allOrdersAgree = input.constraints().stream().allMatch(other -> !(other instanceof Order x)
          || (x.first().map(clone::equals).orElse(false) ? requireAnyOrders.contains(x.id())
              : x.sets().stream().noneMatch(s -> s.resources().contains(clone))));
      String where = "constraints/rsc_order '" + o.id() + "'";
      if (!hasMin && allOrdersAgree) {
        cloneMinOne.add(clone);
        ctx.adjust(where, "require-all=false written as clone-min=1 on clone '" + clone
            + "' (every ordering with it first says the same)");
      } else {
        droppedOrders.add(o.id());
        ctx.skip(where, "require-all=false (deprecated: then may start once one instance of clone '" + clone
            + "' is up) cannot be expressed here: other orderings of the clone differ or it sets clone-min");
      }
    }
  }

  // ---- nodes

  private List<Node> nodes(List<Node> in) {
    List<Node> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (Node n : in) {
      String where = "nodes/node '" + n.name() + "'";
      if (!names.add(n.name()) || !ids.add(n.id())) {
        ctx.skip(where, "a node with this name or id ('" + n.id() + "') is already defined");
        continue;
      }
      Map<String, String> attributes = new LinkedHashMap<>(n.attributes());
      attributes.keySet().removeIf(k -> {
        if (!k.startsWith("#")) return false;
        ctx.skip(where + " attribute '" + k + "'", "names starting with # are built in and cannot be set");
        return true;
      });
      out.add(new Node(n.name(), n.id(), attributes, n.standby(), n.maintenance(), n.utilization()));
    }
    return out;
  }

  // ---- resources

  private Resource resource(Resource r, boolean inPromotable) {
    return switch (r) {
      case Primitive p -> primitive(p, inPromotable);
      case Group g -> new Group(g.id(), g.members().stream().map(m -> primitive(m, inPromotable)).toList(),
          targetRole(g.meta(), g.id(), "group", inPromotable));
      case Clone c -> new Clone(c.id(), resource(c.child(), c.promotable()), cloneMin(targetRole(c.meta(), c.id(), "clone",
          c.promotable()), c.id()));
    };
  }

  private Primitive primitive(Primitive p, boolean inPromotable) {
    List<Operation> ops = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Operation op : p.operations()) {
      String key = op.name() + "/" + op.interval().toMillis() + "/" + op.role().map(Role::label).orElse("");
      if (op.isRecurring() && !op.name().equals("monitor")) {
        ctx.skip(opWhere(p, op), "only monitor operations can recur (Pacemaker does not repeat other actions either)");
      } else if (!seen.add(key)) {
        ctx.skip(opWhere(p, op), "defined twice; the first definition is kept");
      } else {
        ops.add(op);
      }
    }
    // Unchanged parts are kept as they are: a new Primitive validates and copies everything again,
    // twice per resource, which showed in a cold simulation of 1,000 resources.
    Primitive out = ops.size() == p.operations().size() ? p : p.withOperations(ops);
    Meta meta = targetRole(p.meta(), p.id(), "primitive", inPromotable);
    return meta == p.meta() ? out : out.withMeta(meta);
  }

  private static String opWhere(Primitive p, Operation op) {
    return "resources/primitive '" + p.id() + "' op '" + op.name() + "' interval " + io.vigil.model.Durations.format(op.interval());
  }

  private Meta cloneMin(Meta meta, String cloneId) {
    if (!cloneMinOne.contains(cloneId)) return meta;
    Map<String, String> values = new LinkedHashMap<>(meta.values());
    values.put(Meta.CLONE_MIN.name(), "1");
    return new Meta(values);
  }

  private Meta targetRole(Meta meta, String id, String tag, boolean promotable) {
    Optional<Role> role = meta.get(Meta.TARGET_ROLE);
    if (promotable || role.isEmpty() || (role.get() != Role.PROMOTED && role.get() != Role.UNPROMOTED)) return meta;
    ctx.adjust("resources/" + tag + " '" + id + "' meta 'target-role'", "target-role " + role.get().label()
        + " on a resource that cannot be promoted is written as Started (Pacemaker starts it)");
    Map<String, String> values = new LinkedHashMap<>(meta.values());
    values.put(Meta.TARGET_ROLE.name(), Role.STARTED.label());
    return new Meta(values);
  }

  // ---- constraints

  private List<Constraint> constraints(List<Constraint> in) {
    List<Constraint> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Constraint c : in) {
      if (droppedOrders.contains(c.id())) continue;
      String where = "constraints/" + tag(c) + " '" + c.id() + "'";
      if (byId.containsKey(c.id()) || !ids.add(c.id())) {
        ctx.skip(where, "its id is already used by another resource or constraint");
        continue;
      }
      try {
        fixed(c, where).ifPresent(out::add);
      } catch (IllegalArgumentException e) {
        ctx.skip(where, e.getMessage());
      }
    }
    return out;
  }

  private static String tag(Constraint c) {
    return switch (c) {
      case Location l -> "rsc_location";
      case Colocation co -> "rsc_colocation";
      case Order o -> "rsc_order";
    };
  }

  private Optional<Constraint> fixed(Constraint c, String where) {
    switch (c) {
      case Location l -> {
        if (l.node().isPresent() && unknownNode(l.node().get())) {
          ctx.skip(where, missingNode(l.node().get()));
          return Optional.empty();
        }
        Optional<String> rsc = l.resource().map(r -> cloneOf(r, where));
        Optional<Role> role = role(l.role(), rsc, where, "role");
        return Optional.of(new Location(l.id(), rsc, l.resourcePattern(), l.node(), l.score(), l.rules(), role,
            l.resourceDiscovery()));
      }
      case Colocation co -> {
        Optional<String> rsc = co.resource().map(r -> cloneOf(r, where));
        Optional<String> with = co.with().map(r -> cloneOf(r, where));
        if (rsc.isPresent() && rsc.equals(with)) {
          ctx.skip(where, "colocates '" + rsc.get() + "' with itself");
          return Optional.empty();
        }
        return Optional.of(new Colocation(co.id(), co.score(), rsc, role(co.role(), rsc, where, "rsc-role"), with,
            role(co.withRole(), with, where, "with-rsc-role"), co.nodeAttribute(), co.influence(), sets(co.sets(), where)));
      }
      case Order o -> {
        Optional<String> first = o.first().map(r -> cloneOf(r, where));
        Optional<String> then = o.then().map(r -> cloneOf(r, where));
        if (first.isPresent() && first.equals(then) && o.firstAction().equals(o.thenAction())) {
          ctx.skip(where, "orders '" + first.get() + "' after itself");
          return Optional.empty();
        }
        return Optional.of(new Order(o.id(), o.kind(), first, o.firstAction(), then, o.thenAction(), o.symmetrical(),
            sets(o.sets(), where)));
      }
    }
  }

  private List<ResourceSet> sets(List<ResourceSet> sets, String where) {
    return sets.stream().map(s -> new ResourceSet(s.id(), s.resources().stream().map(r -> cloneOf(r, where)).distinct().toList(),
        s.sequential(), s.requireAll(), s.role(), s.action())).toList();
  }

  /** Pacemaker applies a constraint on a clone's child to the clone; Vigil wants the clone named. */
  private String cloneOf(String ref, String where) {
    Optional<Resource> parent = Optional.ofNullable(parents.get(ref));
    if (parent.isPresent() && parent.get() instanceof Clone c) {
      ctx.adjust(where, "names '" + ref + "', which is cloned; written as the clone '" + c.id() + "'");
      return c.id();
    }
    return ref;
  }

  private Optional<Role> role(Optional<Role> role, Optional<String> ref, String where, String attribute) {
    if (role.isEmpty() || ref.isEmpty() || (role.get() != Role.PROMOTED && role.get() != Role.UNPROMOTED)) return role;
    Resource r = byId.get(ref.get());
    if (r == null || isPromotable(r)) return role;
    ctx.adjust(where, attribute + " " + role.get().label() + " on '" + ref.get()
        + "', which cannot be promoted, is dropped (Pacemaker ignores it)");
    return Optional.empty();
  }

  private boolean isPromotable(Resource r) {
    if (r instanceof Clone c) return c.promotable();
    return Optional.ofNullable(parents.get(r.id())).map(this::isPromotable).orElse(false);
  }

  private String missingNode(String name) {
    if (ctx.wasNodeSkipped(name)) return "names node '" + name + "', a remote or guest node, which was not imported";
    return "names node '" + name + "', which is not in <nodes> (Pacemaker keeps it for a node that may join later; "
        + "Vigil needs every node configured)";
  }

  private boolean unknownNode(String name) {
    return !config.nodes().isEmpty() && config.node(name).isEmpty();
  }

  // ---- fencing

  private List<FencingLevel> fencing(List<FencingLevel> in) {
    List<FencingLevel> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (FencingLevel l : in) {
      String where = "fencing-topology/fencing-level " + l.index() + " for '" + l.target() + "'";
      if (!l.targetIsPattern() && unknownNode(l.target())) {
        ctx.skip(where, missingNode(l.target()));
        continue;
      }
      Optional<String> bad = l.devices().stream().filter(d -> !(byId.get(d) instanceof Primitive p
          && p.agent().resourceClass() == ResourceClass.STONITH)).findFirst();
      if (bad.isPresent()) {
        ctx.skip(where, "device '" + bad.get() + "' is not an imported fence device (stonith primitive)");
        continue;
      }
      if (!seen.add(l.target() + "/" + l.index())) {
        ctx.skip(where, "defined twice; the first definition is kept");
        continue;
      }
      out.add(l);
    }
    return out;
  }
}
