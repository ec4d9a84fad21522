package io.vigil.config.cib;

import io.vigil.model.Colocation;
import io.vigil.model.Constraint;
import io.vigil.model.Location;
import io.vigil.model.Order;
import io.vigil.model.ResourceSet;
import io.vigil.model.Role;
import io.vigil.model.Rule;
import io.vigil.model.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Converts {@code <constraints>}: location (scores, rules, patterns), colocation and order
 * (with resource sets). A reference to a template or tag becomes a set of its resources, as
 * Pacemaker expands it; constraints naming resources that were not imported are skipped.
 */
final class ConstraintReader {
  private final CibContext ctx;
  private final RuleReader rules;
  private final Set<String> imported;
  private final Set<String> defined;
  private final Map<String, List<String>> expansions;
  private final Set<String> clones;
  private final Set<String> requireAnyOrders = new java.util.LinkedHashSet<>();

  /**
   * @param imported ids of every imported resource (all levels)
   * @param defined ids of every resource element in the CIB, imported or not
   * @param expansions template and tag ids to the resource ids they stand for
   * @param clones ids of imported clones
   */
  ConstraintReader(CibContext ctx, Set<String> imported, Set<String> defined, Map<String, List<String>> expansions,
      Set<String> clones) {
    this.ctx = ctx;
    this.rules = new RuleReader(ctx);
    this.imported = imported;
    this.defined = defined;
    this.expansions = expansions;
    this.clones = clones;
  }

  /** Ids of orders with the deprecated require-all=false whose first is a clone. */
  Set<String> requireAnyOrders() {
    return requireAnyOrders;
  }

  List<Constraint> read(Element constraints) {
    List<Constraint> out = new ArrayList<>();
    for (Element e : CibContext.children(constraints)) {
      try {
        switch (e.getTagName()) {
          case "rsc_location" -> out.addAll(location(e));
          case "rsc_colocation" -> out.add(colocation(e));
          case "rsc_order" -> out.add(order(e));
          case "rsc_ticket" -> ctx.skip(e, "tickets are not supported");
          default -> ctx.skip(e, "unknown constraint <" + e.getTagName() + ">");
        }
      } catch (Unconvertible u) {
        ctx.skip(e, u.getMessage());
      } catch (IllegalArgumentException ex) {
        ctx.skip(e, ex.getMessage());
      }
    }
    return out;
  }

  // ---- location

  private List<Location> location(Element e) {
    String id = e.getAttribute("id");
    Optional<Role> role = role(e, "role");
    String discovery = e.hasAttribute("resource-discovery") ? e.getAttribute("resource-discovery") : "always";
    if (!Set.of("always", "never", "exclusive").contains(discovery)) {
      throw new Unconvertible("resource-discovery '" + discovery + "' (expected always, never or exclusive)");
    }
    List<Rule> converted = new ArrayList<>();
    Optional<String> node = CibContext.attr(e, "node");
    Optional<Score> nodeScore = Optional.empty();
    List<Element> ruleElements = ctx.children(e, "rule");
    if (node.isPresent()) {
      nodeScore = Optional.of(score(e, "score").orElseThrow(() -> new Unconvertible("node '" + node.get() + "' without a score")));
      if (!ruleElements.isEmpty()) ctx.adjust(e, "has both node and rules; the rules are ignored, as in Pacemaker");
    } else {
      if (ruleElements.isEmpty()) throw new Unconvertible("neither node and score nor rules");
      for (Element r : ruleElements) rules.read(r).ifPresent(converted::add);
      if (converted.isEmpty()) throw new Unconvertible("none of its rules could be imported");
    }
    Optional<Score> score = nodeScore;
    if (e.hasAttribute("rsc-pattern")) {
      return List.of(new Location(id, Optional.empty(), Optional.of(e.getAttribute("rsc-pattern")), node, score,
          converted, role, discovery));
    }
    List<Element> setElements = ctx.children(e, "resource_set");
    if (e.hasAttribute("rsc") && setElements.isEmpty()) {
      List<String> resources = resources(e.getAttribute("rsc"));
      if (resources.size() == 1 && resources.get(0).equals(e.getAttribute("rsc"))) {
        return List.of(new Location(id, Optional.of(resources.get(0)), Optional.empty(), node, score, converted, role, discovery));
      }
      ctx.adjust(e, "'" + e.getAttribute("rsc") + "' is a template or tag; one location constraint per resource ("
          + id + "-RESOURCE)");
      return resources.stream().map(r -> new Location(id + "-" + r, Optional.of(r), Optional.empty(), node,
          score, converted, role, discovery)).toList();
    }
    if (setElements.isEmpty()) throw new Unconvertible("needs rsc, rsc-pattern or resource sets");
    List<Location> out = new ArrayList<>();
    for (Element set : setElements) {
      Optional<Role> setRole = role(set, "role").or(() -> role);
      for (Element ref : ctx.children(set, "resource_ref")) {
        for (String r : resources(ref.getAttribute("id"))) {
          out.add(new Location(id + "-" + r, Optional.of(r), Optional.empty(), node, score, converted, setRole, discovery));
        }
      }
    }
    ctx.adjust(e, "location constraints with resource sets are written as one constraint per resource (" + id + "-RESOURCE)");
    return out;
  }

  // ---- colocation

  private Colocation colocation(Element e) {
    String id = e.getAttribute("id");
    for (String unsupported : List.of("rsc-instance", "with-rsc-instance")) {
      if (e.hasAttribute(unsupported)) throw new Unconvertible(unsupported + " (colocation with one clone instance) is not supported");
    }
    Score score = score(e, "score").orElseGet(() -> {
      ctx.adjust(e, "no score; Pacemaker treats it as 0");
      return Score.ZERO;
    });
    Optional<String> nodeAttribute = CibContext.attr(e, "node-attribute");
    Optional<Boolean> influence = bool(e, "influence");
    List<ResourceSet> sets = sets(e, false);
    if (!sets.isEmpty()) {
      return new Colocation(id, score, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          nodeAttribute, influence, sets);
    }
    String rsc = required(e, "rsc");
    String with = required(e, "with-rsc");
    Optional<Role> role = role(e, "rsc-role");
    Optional<Role> withRole = role(e, "with-rsc-role");
    List<String> rscs = resources(rsc);
    List<String> withs = resources(with);
    if (!isPlain(rsc, rscs) && !isPlain(with, withs)) {
      throw new Unconvertible("colocates two templates or tags, which Pacemaker ignores");
    }
    if (isPlain(rsc, rscs) && isPlain(with, withs)) {
      return new Colocation(id, score, Optional.of(rsc), role, Optional.of(with), withRole, nodeAttribute, influence, List.of());
    }
    // As Pacemaker does: each side becomes a set; a template or tag becomes an unordered set.
    ctx.adjust(e, "a template or tag is written as a resource set of its resources");
    // Pacemaker places sets last to first, so the rsc set (colocated with the other) comes first.
    return new Colocation(id, score, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        nodeAttribute, influence, List.of(
            new ResourceSet(id + "-rsc", rscs, isPlain(rsc, rscs), true, role, Optional.empty()),
            new ResourceSet(id + "-with-rsc", withs, isPlain(with, withs), true, withRole, Optional.empty())));
  }

  // ---- order

  private Order order(Element e) {
    String id = e.getAttribute("id");
    for (String unsupported : List.of("first-instance", "then-instance")) {
      if (e.hasAttribute(unsupported)) throw new Unconvertible(unsupported + " (ordering one clone instance) is not supported");
    }
    Order.Kind kind;
    if (e.hasAttribute("kind")) {
      String k = e.getAttribute("kind");
      kind = Order.Kind.parse(k).orElse(Order.Kind.MANDATORY);
      if (Order.Kind.parse(k).isEmpty()) {
        ctx.adjust(e, "kind '" + k + "' is not Mandatory, Optional or Serialize; written as Mandatory, as Pacemaker resets it");
      }
    } else if (e.hasAttribute("score")) {
      Score s = score(e, "score").orElseThrow();
      kind = s.value() == 0 ? Order.Kind.OPTIONAL : Order.Kind.MANDATORY;
      ctx.adjust(e, "legacy score " + s + " written as kind " + kind.label()
          + (s.value() < 0 ? " (Pacemaker treats any non-zero score as Mandatory)" : ""));
    } else {
      kind = Order.Kind.MANDATORY;
    }
    Optional<Boolean> symmetrical = bool(e, "symmetrical");
    if (kind == Order.Kind.SERIALIZE && symmetrical.orElse(false)) {
      ctx.adjust(e, "symmetrical=true is not valid with kind Serialize; dropped, as Pacemaker ignores it");
      symmetrical = Optional.empty();
    }
    if (e.hasAttribute("require-all") && !bool(e, "require-all").orElse(true)) {
      // Pacemaker reads it as clone-min=1 for this ordering, and only when first is a clone.
      if (clones.contains(e.getAttribute("first"))) {
        requireAnyOrders.add(id); // the reconciler turns it into clone-min=1 where that is equivalent
      } else {
        ctx.adjust(e, "require-all=false is ignored: it applies only when first is a clone, as in Pacemaker");
      }
    }
    List<ResourceSet> sets = sets(e, true);
    if (!sets.isEmpty()) {
      return new Order(id, kind, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), symmetrical, sets);
    }
    String first = required(e, "first");
    String then = required(e, "then");
    Optional<Order.Action> firstAction = action(e, "first-action");
    Optional<Order.Action> thenAction = action(e, "then-action");
    List<String> firsts = resources(first);
    List<String> thens = resources(then);
    if (isPlain(first, firsts) && isPlain(then, thens)) {
      return new Order(id, kind, Optional.of(first), firstAction, Optional.of(then), thenAction, symmetrical, List.of());
    }
    ctx.adjust(e, "a template or tag is written as a resource set of its resources");
    return new Order(id, kind, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), symmetrical, List.of(
        new ResourceSet(id + "-first", firsts, isPlain(first, firsts), true, Optional.empty(), firstAction),
        new ResourceSet(id + "-then", thens, isPlain(then, thens), true, Optional.empty(), thenAction)));
  }

  // ---- shared pieces

  private List<ResourceSet> sets(Element e, boolean forOrder) {
    List<ResourceSet> out = new ArrayList<>();
    for (Element set : ctx.children(e, "resource_set")) {
      if (set.hasAttribute("score")) ctx.adjust(set, "per-set score is deprecated and ignored; the constraint's score applies");
      if (!forOrder && set.hasAttribute("action")) ctx.adjust(set, "action is ignored in colocation sets");
      List<String> members = new ArrayList<>();
      boolean expanded = false;
      for (Element ref : ctx.children(set, "resource_ref")) {
        List<String> rs = resources(ref.getAttribute("id"));
        expanded |= !isPlain(ref.getAttribute("id"), rs);
        members.addAll(rs);
      }
      if (expanded) ctx.adjust(set, "templates and tags in the set are replaced by their resources");
      if (members.isEmpty()) throw new Unconvertible("resource set '" + set.getAttribute("id") + "' names no resources");
      out.add(new ResourceSet(set.getAttribute("id"), members, bool(set, "sequential").orElse(true),
          bool(set, "require-all").orElse(true), role(set, "role"), forOrder ? action(set, "action") : Optional.empty()));
    }
    return out;
  }

  private static boolean isPlain(String ref, List<String> resolved) {
    return resolved.size() == 1 && resolved.get(0).equals(ref);
  }

  /** The imported resources {@code ref} stands for (itself, or a template's or tag's members). */
  private List<String> resources(String ref) {
    if (imported.contains(ref)) return List.of(ref);
    List<String> members = expansions.get(ref);
    if (members != null) {
      List<String> present = members.stream().filter(imported::contains).toList();
      if (present.isEmpty()) throw new Unconvertible("'" + ref + "' stands for no imported resources");
      return present;
    }
    if (defined.contains(ref)) throw new Unconvertible("names resource '" + ref + "', which was not imported");
    throw new Unconvertible("names resource '" + ref + "', which is not defined in the CIB");
  }

  private static String required(Element e, String name) {
    String v = e.getAttribute(name);
    if (v.isEmpty()) throw new Unconvertible("missing " + name);
    return v;
  }

  private static Optional<Score> score(Element e, String name) {
    if (!e.hasAttribute(name)) return Optional.empty();
    try {
      return Optional.of(Score.parse(e.getAttribute(name)));
    } catch (IllegalArgumentException ex) {
      throw new Unconvertible(name + " '" + e.getAttribute(name) + "' is not a score (expected an integer, INFINITY or -INFINITY)");
    }
  }

  private static Optional<Role> role(Element e, String name) {
    if (!e.hasAttribute(name)) return Optional.empty();
    String v = e.getAttribute(name);
    // Pacemaker's "Started" on a colocation or set means "any role".
    Optional<Role> r = Role.parse(v);
    if (r.isEmpty()) throw new Unconvertible(name + " '" + v + "' (expected Stopped, Started, Unpromoted or Promoted)");
    return r;
  }

  private static Optional<Order.Action> action(Element e, String name) {
    if (!e.hasAttribute(name)) return Optional.empty();
    String v = e.getAttribute(name);
    return Optional.of(Order.Action.parse(v).orElseThrow(() ->
        new Unconvertible(name + " '" + v + "' (expected start, stop, promote or demote)")));
  }

  private static Optional<Boolean> bool(Element e, String name) {
    if (!e.hasAttribute(name)) return Optional.empty();
    try {
      return Optional.of(io.vigil.model.AttributeKey.parseBoolean(e.getAttribute(name)));
    } catch (IllegalArgumentException ex) {
      throw new Unconvertible(name + " '" + e.getAttribute(name) + "' (expected true or false)");
    }
  }

  /** Abandons one constraint with a reason. */
  private static final class Unconvertible extends RuntimeException {
    Unconvertible(String reason) {
      super(reason, null, false, false);
    }
  }
}
