package io.vigil.config;

import io.vigil.model.Colocation;
import io.vigil.model.Constraint;
import io.vigil.model.Ids;
import io.vigil.model.Location;
import io.vigil.model.Order;
import io.vigil.model.ResourceSet;
import io.vigil.model.Role;
import io.vigil.model.Rule;
import io.vigil.model.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code constraints:} list: location, colocation and order, with resource sets. */
final class ConstraintReader {
  private static final String ROLES = "one of Stopped, Started, Unpromoted, Promoted";
  private final ReadContext ctx;
  private final RuleReader rules;

  ConstraintReader(ReadContext ctx) {
    this.ctx = ctx;
    this.rules = new RuleReader(ctx);
  }

  List<Constraint> readAll(List<Node> items) {
    List<Constraint> out = new ArrayList<>();
    for (Node item : items) {
      Optional<String> kind = Yaml.kindKey(item, "location", "colocation", "order");
      if (kind.isEmpty()) {
        ctx.error(SourcePos.of(ctx.file, item),
            "constraint must start with 'location: ID', 'colocation: ID' or 'order: ID', found " + Fields.shape(item));
        continue;
      }
      Optional<? extends Constraint> c = switch (kind.get()) {
        case "location" -> readLocation(item);
        case "colocation" -> readColocation(item);
        default -> readOrder(item);
      };
      c.ifPresent(out::add);
    }
    return out;
  }

  private Optional<Location> readLocation(Node item) {
    String name = Yaml.scalar(item, "location").orElse("?");
    Optional<Fields> of = Fields.of(ctx, item, "location '" + name + "'", Schema.LOCATION);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    Optional<String> id = f.parsed("location", s -> Ids.require(s, "location constraint"));
    Optional<String> resource = f.text("resource");
    Optional<String> pattern = f.parsed("resource-pattern", s -> {
      try {
        Pattern.compile(s);
        return s;
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("'" + s + "' is not a valid regular expression: " + e.getDescription());
      }
    });
    Optional<String> node = f.text("node");
    Optional<Score> score = f.parsed("score", Score::parse);
    Optional<Role> role = f.choice("role", Role::parse, ROLES);
    String discovery = f.choice("resource-discovery", s -> Set.of("always", "never", "exclusive").contains(s)
        ? Optional.of(s) : Optional.<String>empty(), "one of always, never, exclusive").orElse("always");
    List<Rule> rs = id.map(i -> rules.readRules(f.list("rules"), i, f.what())).orElse(List.of());
    boolean ok = id.isPresent();
    if (resource.isPresent() == f.has("resource-pattern")) {
      ctx.error(f.pos(), f.what() + " needs exactly one of 'resource' and 'resource-pattern'");
      ok = false;
    }
    boolean simple = f.has("node") || f.has("score");
    if (simple && f.has("rules")) {
      ctx.error(f.pos("rules"), f.what() + " has both 'node'/'score' and 'rules' (expected one form)");
      ok = false;
    } else if (simple && (!f.has("node") || !f.has("score"))) {
      ctx.error(f.pos(), f.what() + " has '" + (f.has("node") ? "node" : "score") + "' without '"
          + (f.has("node") ? "score" : "node") + "' (expected both, e.g. node: node1 and score: 100)");
      ok = false;
    } else if (!simple && !f.has("rules")) {
      ctx.error(f.pos(), f.what() + " needs 'node' and 'score', or 'rules'");
      ok = false;
    }
    if (!ok || (simple && (node.isEmpty() || score.isEmpty())) || (!simple && rs.isEmpty())
        || (resource.isEmpty() && pattern.isEmpty())) {
      return Optional.empty();
    }
    remember(id.get(), f, "location", "resource", "node", "rules");
    return Optional.of(new Location(id.get(), resource, pattern, node, score, rs, role, discovery));
  }

  private Optional<Colocation> readColocation(Node item) {
    String name = Yaml.scalar(item, "colocation").orElse("?");
    Optional<Fields> of = Fields.of(ctx, item, "colocation '" + name + "'", Schema.COLOCATION);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    Optional<String> id = f.parsed("colocation", s -> Ids.require(s, "colocation constraint"));
    Optional<Score> score = f.has("score") ? f.parsed("score", Score::parse) : missing(f, "score", "INFINITY");
    Optional<String> resource = f.text("resource");
    Optional<String> with = f.text("with");
    Optional<Role> role = f.choice("role", Role::parse, ROLES);
    Optional<Role> withRole = f.choice("with-role", Role::parse, ROLES);
    Optional<String> nodeAttribute = f.text("node-attribute");
    Optional<Boolean> influence = f.bool("influence");
    List<ResourceSet> sets = id.map(i -> readSets(f, i)).orElse(List.of());
    if (!shapeOk(f, "resource", "with", resource, with, sets)) return Optional.empty();
    if (id.isEmpty() || score.isEmpty()) return Optional.empty();
    remember(id.get(), f, "colocation", "resource", "with", "sets");
    return Optional.of(new Colocation(id.get(), score.get(), resource, role, with, withRole, nodeAttribute, influence, sets));
  }

  private Optional<Order> readOrder(Node item) {
    String name = Yaml.scalar(item, "order").orElse("?");
    Optional<Fields> of = Fields.of(ctx, item, "order '" + name + "'", Schema.ORDER);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    Optional<String> id = f.parsed("order", s -> Ids.require(s, "order constraint"));
    Optional<String> first = f.text("first");
    Optional<String> then = f.text("then");
    String actions = "one of start, stop, promote, demote";
    Optional<Order.Action> firstAction = f.choice("first-action", Order.Action::parse, actions);
    Optional<Order.Action> thenAction = f.choice("then-action", Order.Action::parse, actions);
    Order.Kind kind = f.choice("kind", Order.Kind::parse, "one of Mandatory, Optional, Serialize").orElse(Order.Kind.MANDATORY);
    Optional<Boolean> symmetrical = f.bool("symmetrical");
    List<ResourceSet> sets = id.map(i -> readSets(f, i)).orElse(List.of());
    if (!shapeOk(f, "first", "then", first, then, sets)) return Optional.empty();
    if (id.isEmpty()) return Optional.empty();
    remember(id.get(), f, "order", "first", "then", "sets");
    return Optional.of(new Order(id.get(), kind, first, firstAction, then, thenAction, symmetrical, sets));
  }

  private boolean shapeOk(Fields f, String a, String b, Optional<String> va, Optional<String> vb, List<ResourceSet> sets) {
    boolean pair = f.has(a) || f.has(b);
    if (pair && f.has("sets")) {
      ctx.error(f.pos("sets"), f.what() + " has both '" + a + "'/'" + b + "' and 'sets' (expected one form)");
      return false;
    }
    if (pair && (!f.has(a) || !f.has(b))) {
      String missing = f.has(a) ? b : a;
      ctx.error(f.pos(), f.what() + " has no '" + missing + "' (expected both '" + a + "' and '" + b + "')");
      return false;
    }
    if (!pair && !f.has("sets")) {
      ctx.error(f.pos(), f.what() + " needs '" + a + "' and '" + b + "', or 'sets'");
      return false;
    }
    return pair ? va.isPresent() && vb.isPresent() : !sets.isEmpty() && sets.size() == f.list("sets").size();
  }

  private List<ResourceSet> readSets(Fields owner, String ownerId) {
    List<ResourceSet> out = new ArrayList<>();
    List<Node> nodes = owner.list("sets");
    for (int i = 0; i < nodes.size(); i++) {
      Optional<Fields> of = Fields.of(ctx, nodes.get(i), owner.what() + ": set", Schema.SET);
      if (of.isEmpty()) continue;
      Fields f = of.get();
      String id = f.parsed("set", s -> Ids.require(s, "resource set")).orElse(RuleReader.derivedId(ownerId, "set", i));
      List<String> resources = f.textList("resources");
      if (resources.isEmpty()) {
        ctx.error(f.pos(), f.what() + " '" + id + "' has no resources (expected e.g. resources: [a, b])");
        continue;
      }
      boolean sequential = f.bool("sequential").orElse(true);
      boolean requireAll = f.bool("require-all").orElse(true);
      Optional<Role> role = f.choice("role", Role::parse, ROLES);
      Optional<Order.Action> action = f.choice("action", Order.Action::parse, "one of start, stop, promote, demote");
      ctx.sources.put("set", ownerId + "/" + id, "resources", f.pos("resources"));
      out.add(new ResourceSet(id, resources, sequential, requireAll, role, action));
    }
    return out;
  }

  private void remember(String id, Fields f, String kindKey, String... fields) {
    ctx.sources.put("constraint", id, f.pos(kindKey));
    for (String field : fields) {
      if (f.has(field)) ctx.sources.put("constraint", id, field, f.pos(field));
    }
  }

  private <T> Optional<T> missing(Fields f, String key, String example) {
    ctx.error(f.pos(), f.what() + " has no '" + key + "' (expected e.g. " + key + ": " + example + ")");
    return Optional.empty();
  }
}
