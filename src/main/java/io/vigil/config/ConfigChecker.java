package io.vigil.config;

import io.vigil.model.Suggest;

import io.vigil.model.Clone;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Colocation;
import io.vigil.model.Constraint;
import io.vigil.model.FencingLevel;
import io.vigil.model.Group;
import io.vigil.model.Location;
import io.vigil.model.Meta;
import io.vigil.model.Operation;
import io.vigil.model.Order;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.ResourceClass;
import io.vigil.model.ResourceSet;
import io.vigil.model.Role;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Semantic checks over a structurally valid model: ids unique, references resolve, no mandatory
 * order cycles, options fit the resource kind, agents exist and get their required parameters.
 * Pure: agent knowledge comes from the {@link AgentCatalog}.
 */
final class ConfigChecker {
  private static final Set<String> CLONE_ONLY = Set.of("clone-max", "clone-node-max", "clone-min",
      "globally-unique", "interleave", "notify", "ordered", "promotable", "promoted-max", "promoted-node-max");

  private final ClusterConfig config;
  private final SourceMap src;
  private final AgentCatalog agents;
  private final ReadContext ctx;
  private final Map<String, Resource> byId = new HashMap<>();
  private final Map<String, Resource> parents;
  /** How often each resource id was met so far: a duplicate is reported where it occurs again. */
  private final Map<String, Integer> seenCount = new HashMap<>();

  ConfigChecker(ClusterConfig config, ReadContext ctx, AgentCatalog agents) {
    this.config = config;
    this.src = ctx.sources;
    this.agents = agents;
    this.ctx = ctx;
    this.parents = config.parents();
  }

  void check() {
    checkResourceIds();
    checkNodes();
    checkConstraints();
    OrderCycles.find(config).ifPresent(path -> ctx.error(SourcePos.wholeFile(src.file()),
        "mandatory orders form a cycle: " + String.join(" -> ", path.subList(0, path.size() - 1)) + " " + path.getLast()));
    for (Resource r : config.allResources()) checkResource(r);
    checkFencing();
  }

  private void checkResourceIds() {
    Map<String, String> containerOf = new HashMap<>();
    for (Resource top : config.resources()) visit(top, null, containerOf);
  }

  private void visit(Resource r, Resource parent, Map<String, String> containerOf) {
    int occurrence = seenCount.merge(r.id(), 1, Integer::sum) - 1;
    String where = parent == null ? "" : (parent instanceof Group ? "group '" : "clone '") + parent.id() + "'";
    Resource earlier = byId.putIfAbsent(r.id(), r);
    if (earlier != null) {
      String before = containerOf.getOrDefault(r.id(), "");
      String message;
      if (parent instanceof Group && before.startsWith("group")) {
        message = "resource '" + r.id() + "' is a member of " + before + " and " + where + " (a resource can be in one group only)";
      } else if (parent instanceof Clone && before.startsWith("group")) {
        message = "clone '" + parent.id() + "' clones '" + r.id() + "', which is a member of " + before
            + " (clone the whole group instead)";
      } else {
        message = "duplicate resource id '" + r.id() + "' (ids must be unique among resources)";
      }
      ctx.error(src.nth("resource", r.id(), occurrence), message);
    } else {
      containerOf.put(r.id(), where);
    }
    for (Resource c : r.children()) visit(c, r, containerOf);
  }

  private void checkNodes() {
    Set<String> seen = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (var n : config.nodes()) {
      if (!seen.add(n.name())) ctx.error(src.nth("node", n.name(), 1), "duplicate node '" + n.name() + "'");
      else if (!ids.add(n.id())) ctx.error(src.of("node", n.name()), "node '" + n.name() + "' has id '" + n.id() + "', already used by another node");
    }
  }

  private void checkConstraints() {
    Set<String> seen = new HashSet<>();
    for (Constraint c : config.constraints()) {
      if (!seen.add(c.id())) {
        ctx.error(src.nth("constraint", c.id(), 1), "duplicate constraint id '" + c.id() + "'");
      } else if (byId.containsKey(c.id())) {
        ctx.error(src.of("constraint", c.id()), "constraint id '" + c.id() + "' is already the id of a resource");
      }
      switch (c) {
        case Location l -> checkLocation(l);
        case Colocation co -> checkColocation(co);
        case Order o -> checkOrder(o);
      }
    }
  }

  private void checkLocation(Location l) {
    l.resource().ifPresent(r -> resourceRef("location '" + l.id() + "'", l.id(), "resource", r));
    l.node().ifPresent(n -> nodeRef("location '" + l.id() + "'", src.of("constraint", l.id(), "node"), n));
    l.role().ifPresent(role -> l.resource().map(byId::get).ifPresent(r -> roleFits("location '" + l.id() + "'", l.id(), r, role)));
  }

  private void checkColocation(Colocation c) {
    String what = "colocation '" + c.id() + "'";
    if (c.sets().isEmpty()) {
      String a = c.resource().orElseThrow();
      String b = c.with().orElseThrow();
      boolean okA = resourceRef(what, c.id(), "resource", a);
      boolean okB = resourceRef(what, c.id(), "with", b);
      if (a.equals(b)) ctx.error(src.of("constraint", c.id()), what + " places '" + a + "' with itself");
      if (okA) c.role().ifPresent(role -> roleFits(what, c.id(), byId.get(a), role));
      if (okB) c.withRole().ifPresent(role -> roleFits(what, c.id(), byId.get(b), role));
    } else {
      setRefs(what, c.id(), c.sets());
    }
  }

  private void checkOrder(Order o) {
    String what = "order '" + o.id() + "'";
    if (o.sets().isEmpty()) {
      String a = o.first().orElseThrow();
      String b = o.then().orElseThrow();
      resourceRef(what, o.id(), "first", a);
      resourceRef(what, o.id(), "then", b);
      if (a.equals(b) && o.firstAction().equals(o.thenAction())) {
        ctx.error(src.of("constraint", o.id()), what + " orders '" + a + "' after itself");
      }
    } else {
      setRefs(what, o.id(), o.sets());
    }
  }

  private void setRefs(String what, String id, List<ResourceSet> sets) {
    for (ResourceSet s : sets) {
      for (String r : s.resources()) {
        if (!byId.containsKey(r) && !ctx.broken.contains(r)) {
          ctx.error(src.of("set", id + "/" + s.id(), "resources"), what + ": set '" + s.id()
              + "' names unknown resource '" + r + "'" + Suggest.hint(r, knownIds()));
        }
      }
    }
  }

  private boolean resourceRef(String what, String id, String field, String ref) {
    Resource r = byId.get(ref);
    if (r == null && ctx.broken.contains(ref)) return false;
    if (r == null) {
      ctx.error(src.of("constraint", id, field), what + " names unknown resource '" + ref + "'" + Suggest.hint(ref, knownIds()));
      return false;
    }
    Optional.ofNullable(parents.get(ref)).filter(p -> p instanceof Clone).ifPresent(p -> ctx.error(src.of("constraint", id, field),
        what + " names '" + ref + "', which is cloned; name the clone '" + p.id() + "' instead"));
    return true;
  }

  /** Ids that exist, including ones written but unreadable, for suggestions. */
  private Set<String> knownIds() {
    Set<String> ids = new HashSet<>(byId.keySet());
    ids.addAll(ctx.broken);
    return ids;
  }

  private void nodeRef(String what, SourcePos pos, String node) {
    if (config.nodes().isEmpty() || config.node(node).isPresent() || ctx.broken.contains(node)) return;
    ctx.error(pos, what + " names unknown node '" + node + "'"
        + Suggest.hint(node, config.nodes().stream().map(io.vigil.model.Node::name).toList()));
  }

  private void roleFits(String what, String id, Resource r, Role role) {
    if ((role == Role.PROMOTED || role == Role.UNPROMOTED) && !isPromotable(r)) {
      ctx.error(src.of("constraint", id), what + " uses role " + role.label() + " but '" + r.id() + "' is not a promotable clone");
    }
  }

  private boolean isPromotable(Resource r) {
    if (r instanceof Clone c) return c.promotable();
    return Optional.ofNullable(parents.get(r.id())).map(this::isPromotable).orElse(false);
  }

  private void checkResource(Resource r) {
    if (!(r instanceof Clone)) {
      for (String key : new TreeSet<>(r.meta().values().keySet())) {
        if (CLONE_ONLY.contains(key)) {
          ctx.error(src.of("resource", r.id(), "meta." + key), "resource '" + r.id() + "': meta '" + key
              + "' applies to clones only (put it on the clone's meta)");
        }
      }
    }
    r.meta().get(Meta.TARGET_ROLE).filter(t -> t == Role.PROMOTED || t == Role.UNPROMOTED)
        .filter(t -> !isPromotable(r))
        .ifPresent(t -> ctx.error(src.of("resource", r.id(), "meta.target-role"), "resource '" + r.id()
            + "': target-role " + t.label() + " needs a promotable clone"));
    if (r instanceof Clone c) {
      Optional<Integer> max = c.meta().get(Meta.CLONE_MAX);
      Optional<Integer> pmax = c.meta().get(Meta.PROMOTED_MAX);
      if (max.isPresent() && pmax.isPresent() && pmax.get() > max.get()) {
        ctx.error(src.of("resource", c.id(), "meta.promoted-max"), "clone '" + c.id() + "': promoted-max "
            + pmax.get() + " is more than clone-max " + max.get());
      }
    }
    if (r instanceof Primitive p) {
      checkOperations(p);
      checkAgent(p);
    }
  }

  private void checkOperations(Primitive p) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < p.operations().size(); i++) {
      Operation op = p.operations().get(i);
      String key = op.name() + "/" + op.interval().toMillis() + "/" + op.role().map(Role::label).orElse("");
      SourcePos pos = src.of("resource", p.id(), "operations[" + i + "]");
      if (!seen.add(key)) {
        ctx.error(pos, "resource '" + p.id() + "': operation " + op.name() + " with interval "
            + io.vigil.model.Durations.format(op.interval()) + " is defined twice");
      }
      if (op.isRecurring() && !op.name().equals("monitor")) {
        ctx.error(pos, "resource '" + p.id() + "': operation '" + op.name()
            + "' has an interval; only monitor can recur (expected interval: 0 or no interval)");
      }
    }
  }

  private void checkAgent(Primitive p) {
    ResourceClass rc = p.agent().resourceClass();
    SourcePos pos = src.of("resource", p.id(), "agent");
    // A fence device's parameters go to its agent on every fencing: a misspelt one would be found only when a
    // node must be fenced, so it is an error there; pcmk_* parameters are the cluster's (FencingKeys), not the agent's.
    boolean fence = rc == ResourceClass.STONITH;
    String what = fence ? "fence device '" + p.id() + "'" : "resource '" + p.id() + "'";
    if (!agents.canCheck(p.agent())) {
      agents.uncheckedBecause(p.agent()).ifPresent(why -> ctx.warning(pos, what + ": agent " + p.agent() + " " + why));
      return;
    }
    var desc = agents.describe(p.agent());
    if (desc.isEmpty()) {
      ctx.error(pos, what + ": agent " + p.agent() + " " + agents.notDescribed(p.agent()));
      return;
    }
    Set<String> given = new TreeSet<>(p.params().keySet());
    given.addAll(p.secretParams().keySet());
    if (fence) given.removeIf(k -> k.startsWith("pcmk_"));
    Map<String, String> aliases = desc.get().aliases();
    for (String req : new TreeSet<>(desc.get().required())) {
      boolean present = given.contains(req) || given.stream().anyMatch(g -> req.equals(aliases.get(g)));
      if (!present) {
        ctx.error(pos, what + ": agent " + p.agent() + " requires parameter '" + req + "', which is not set");
      }
    }
    for (String name : given) {
      if (desc.get().parameters().contains(name)) continue;
      String message = what + ": agent " + p.agent() + " has no parameter '" + name + "'" + Suggest.hint(name, desc.get().parameters());
      if (fence) {
        ctx.error(pos, message + " (it takes: " + String.join(", ", desc.get().parameters()) + ")");
      } else {
        ctx.warning(pos, message);
      }
    }
  }

  /** The retry backoff must be able to grow from its start to its cap. */
  private void checkFencingRetry() {
    var p = config.properties();
    var initial = p.getOrDefault(ClusterProperties.FENCING_RETRY_INITIAL);
    var max = p.getOrDefault(ClusterProperties.FENCING_RETRY_MAX);
    if (max.compareTo(initial) < 0) {
      String key = p.get(ClusterProperties.FENCING_RETRY_MAX).isPresent() ? "fencing-retry-max" : "fencing-retry-initial";
      ctx.error(src.of("property", key), "fencing-retry-max is " + io.vigil.model.Durations.format(max)
          + ", below fencing-retry-initial " + io.vigil.model.Durations.format(initial)
          + " (expected fencing-retry-max >= fencing-retry-initial)");
    }
  }

  private void checkFencing() {
    Set<String> seen = new HashSet<>();
    for (FencingLevel l : config.fencingLevels()) {
      String key = l.target() + "/" + l.index();
      SourcePos pos = src.of("fencing-level", key);
      if (!seen.add(key)) ctx.error(pos, "fencing level " + l.index() + " for '" + l.target() + "' is defined twice");
      if (!l.targetIsPattern()) nodeRef("fencing level " + l.index(), pos, l.target());
      for (String d : l.devices()) {
        Resource r = byId.get(d);
        if (r == null && ctx.broken.contains(d)) continue;
        if (r == null) {
          ctx.error(src.of("fencing-level", key, "devices"), "fencing level " + l.index() + " for '" + l.target()
              + "' names unknown device '" + d + "'" + Suggest.hint(d, knownIds()));
        } else if (!(r instanceof Primitive p) || p.agent().resourceClass() != ResourceClass.STONITH) {
          ctx.error(src.of("fencing-level", key, "devices"), "fencing level " + l.index() + " for '" + l.target()
              + "' names '" + d + "', which is not a fence device (expected a primitive with agent stonith:...)");
        }
      }
    }
    checkFencingRetry();
    boolean fencing = config.properties().getOrDefault(ClusterProperties.FENCING_ENABLED);
    boolean anyDevice = config.allResources().stream()
        .anyMatch(r -> r instanceof Primitive p && p.agent().resourceClass() == ResourceClass.STONITH);
    if (fencing && !anyDevice && !config.resources().isEmpty()) {
      ctx.warning(src.of("property", "fencing-enabled"), "fencing is enabled but no fence device is configured: "
          + "resources of a lost node stay blocked until an operator confirms it is down");
    }
  }
}
