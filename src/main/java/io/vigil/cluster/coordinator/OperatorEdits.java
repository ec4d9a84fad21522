package io.vigil.cluster.coordinator;

import io.vigil.model.AttributeExpression;
import io.vigil.model.Clone;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Constraint;
import io.vigil.model.DateExpression;
import io.vigil.model.Expression;
import io.vigil.model.Group;
import io.vigil.model.Location;
import io.vigil.model.Meta;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.Role;
import io.vigil.model.Rule;
import io.vigil.model.Score;
import io.vigil.model.Suggest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration changes behind the operator commands: {@code vigil resource move|ban|clear}
 * (crm_resource -M/-B/-U: location constraints named {@code cli-prefer-R} and
 * {@code cli-ban-R-on-N}, so status can list them and {@code clear} removes exactly them),
 * {@code resource start|stop} (target-role) and {@code cluster maintenance} (maintenance-mode).
 * A move or ban with a lifetime carries, as crm_resource writes it, a rule
 * {@code #uname eq N and date lt END}. Pure; a bad request throws with what was wrong.
 */
public final class OperatorEdits {
  public static final String PREFER = "cli-prefer-";
  public static final String BAN = "cli-ban-";

  private OperatorEdits() {}

  /** Moves {@code resource} to {@code node}: it prefers that node with INFINITY (replacing an earlier move). */
  public static ClusterConfig move(ClusterConfig c, String resource, String node) {
    return move(c, resource, node, Optional.empty());
  }

  /** As {@link #move(ClusterConfig, String, String)}, in force only before {@code until} when present. */
  public static ClusterConfig move(ClusterConfig c, String resource, String node, Optional<Instant> until) {
    Resource r = resourceOrThrow(c, resource);
    nodeOrThrow(c, node);
    List<Constraint> out = without(c, k -> k.equals(PREFER + r.id()));
    out.add(location(PREFER + r.id(), r.id(), node, Score.INFINITY, until));
    return with(c, out);
  }

  /** Keeps {@code resource} off {@code node} (-INFINITY) until cleared. */
  public static ClusterConfig ban(ClusterConfig c, String resource, String node) {
    return ban(c, resource, node, Optional.empty());
  }

  /** As {@link #ban(ClusterConfig, String, String)}, in force only before {@code until} when present. */
  public static ClusterConfig ban(ClusterConfig c, String resource, String node, Optional<Instant> until) {
    Resource r = resourceOrThrow(c, resource);
    nodeOrThrow(c, node);
    String id = BAN + r.id() + "-on-" + node;
    List<Constraint> out = without(c, k -> k.equals(id));
    out.add(location(id, r.id(), node, Score.MINUS_INFINITY, until));
    return with(c, out);
  }

  /** Removes every move and ban of {@code resource}; says so when there was none. */
  public static ClusterConfig clear(ClusterConfig c, String resource) {
    Resource r = resourceOrThrow(c, resource);
    List<Constraint> out = without(c, k -> isOperatorConstraintOf(k, r.id()));
    if (out.size() == c.constraints().size()) {
      throw new IllegalArgumentException("resource '" + r.id() + "' has no move or ban constraint to clear");
    }
    return with(c, out);
  }

  /**
   * Sets {@code target-role} of {@code resource} (any resource: primitive, group, group member,
   * clone) to Started or Stopped; throws if it already has that role explicitly.
   */
  public static ClusterConfig targetRole(ClusterConfig c, String resource, Role role) {
    Resource r = c.resource(resource).orElseThrow(() -> new IllegalArgumentException(
        "unknown resource '" + resource + "'" + Suggest.hint(resource, c.resourcesById().keySet())));
    if (r.meta().get(Meta.TARGET_ROLE).orElse(null) == role) {
      throw new IllegalArgumentException("resource '" + resource + "' already has target-role " + role.label());
    }
    Map<String, String> meta = new LinkedHashMap<>(r.meta().values());
    meta.put(Meta.TARGET_ROLE.name(), role.label());
    return withMeta(c, resource, Meta.of(meta));
  }

  /** Replaces the meta attributes of {@code resource} (restart puts back what it had before its stop). */
  public static ClusterConfig withMeta(ClusterConfig c, String resource, Meta meta) {
    if (c.resource(resource).isEmpty()) throw new IllegalArgumentException("unknown resource '" + resource + "'");
    List<Resource> resources = c.resources().stream().map(top -> withMeta(top, resource, meta)).toList();
    return new ClusterConfig(c.name(), c.nodes(), resources, c.constraints(), c.properties(), c.resourceDefaults(),
        c.operationDefaults(), c.fencingLevels());
  }

  /** Sets the {@code maintenance-mode} cluster property; throws if it already has that value. */
  public static ClusterConfig maintenanceMode(ClusterConfig c, boolean on) {
    if (c.properties().getOrDefault(ClusterProperties.MAINTENANCE_MODE) == on) {
      throw new IllegalArgumentException("maintenance-mode is already " + (on ? "on" : "off"));
    }
    Map<String, String> props = new LinkedHashMap<>(c.properties().values());
    props.put(ClusterProperties.MAINTENANCE_MODE.name(), String.valueOf(on));
    return new ClusterConfig(c.name(), c.nodes(), c.resources(), c.constraints(), new ClusterProperties(props),
        c.resourceDefaults(), c.operationDefaults(), c.fencingLevels());
  }

  /** Whether a constraint id is one of these commands' for the resource. */
  public static boolean isOperatorConstraintOf(String constraintId, String resource) {
    return constraintId.equals(PREFER + resource) || constraintId.startsWith(BAN + resource + "-on-");
  }

  /** A move or ban found in a configuration; {@code until} is its expiry when it has a lifetime. */
  public record InForce(String constraintId, String resource, String node, boolean move, Optional<Instant> until) {
    /** Whether the lifetime has run out at {@code now} (the constraint then no longer applies). */
    public boolean expired(Instant now) {
      return until.isPresent() && !now.isBefore(until.get());
    }

    /** One line for status: what, until when (or that it expired), and how to remove it. */
    public String describe(Instant now) {
      String life = until.map(u -> expired(now) ? " (EXPIRED at " + u + "; no longer applies)"
          : " until " + u + " (" + left(java.time.Duration.between(now, u)) + " left)").orElse("");
      return resource + " " + (move ? "moved to " : "banned from ") + node + life + " (constraint " + constraintId
          + "; vigil resource clear " + resource + ")";
    }
  }

  /** Every move or ban in force (status warns about them: they are easy to forget). */
  public static List<InForce> operatorConstraints(ClusterConfig c) {
    List<InForce> out = new ArrayList<>();
    for (Constraint k : c.constraints()) {
      if (!(k instanceof Location l) || l.resource().isEmpty()) continue;
      boolean move = l.id().startsWith(PREFER);
      if (!move && !l.id().startsWith(BAN)) continue;
      if (l.node().isPresent()) {
        out.add(new InForce(l.id(), l.resource().get(), l.node().get(), move, Optional.empty()));
      } else if (l.rules().size() == 1) {
        Optional<String> node = Optional.empty();
        Optional<Instant> until = Optional.empty();
        for (Expression e : l.rules().getFirst().expressions()) {
          if (e instanceof AttributeExpression a && a.attribute().equals("#uname")) node = a.value();
          if (e instanceof DateExpression d && d.operation().equals("lt")) until = d.end().flatMap(OperatorEdits::instant);
        }
        if (node.isPresent()) out.add(new InForce(l.id(), l.resource().get(), node.get(), move, until));
      }
    }
    return out;
  }

  /** Every move or ban in force, as human-readable lines at {@code now}. */
  public static List<String> inForce(ClusterConfig c, Instant now) {
    return operatorConstraints(c).stream().map(f -> f.describe(now)).toList();
  }

  private static Location location(String id, String resource, String node, Score score, Optional<Instant> until) {
    if (until.isEmpty()) return Location.of(id, resource, node, score);
    String rule = id + "-rule-1";
    List<Expression> exprs = List.of(
        new AttributeExpression(rule + "-expr-1", "#uname", AttributeExpression.Operator.EQ, Optional.of(node),
            AttributeExpression.ValueType.STRING, "literal"),
        new DateExpression(rule + "-expr-2", "lt", Optional.empty(),
            Optional.of(until.get().truncatedTo(ChronoUnit.SECONDS).toString()), Map.of(), Map.of()));
    return new Location(id, Optional.of(resource), Optional.empty(), Optional.empty(), Optional.empty(),
        List.of(new Rule(rule, Optional.of(score), Optional.empty(), Optional.empty(), Rule.BooleanOp.AND, exprs)),
        Optional.empty(), "always");
  }

  private static Optional<Instant> instant(String iso) {
    try {
      return Optional.of(java.time.OffsetDateTime.parse(iso.strip().replace(' ', 'T')).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String left(java.time.Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 3600 ? (s / 3600) + "h" + (s % 3600 / 60) + "m" : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
  }

  private static Resource withMeta(Resource r, String id, Meta meta) {
    return switch (r) {
      case Primitive p -> p.id().equals(id) ? p.withMeta(meta) : p;
      case Group g -> g.id().equals(id) ? new Group(g.id(), g.members(), meta)
          : new Group(g.id(), g.members().stream().map(m -> (Primitive) withMeta(m, id, meta)).toList(), g.meta());
      case Clone k -> k.id().equals(id) ? new Clone(k.id(), k.child(), meta) : new Clone(k.id(), withMeta(k.child(), id, meta), k.meta());
    };
  }

  private static Resource resourceOrThrow(ClusterConfig c, String id) {
    Resource r = c.resource(id).orElseThrow(() -> new IllegalArgumentException(
        "unknown resource '" + id + "'" + Suggest.hint(id, c.resourcesById().keySet())));
    var parent = c.parents().get(r.id());
    if (parent instanceof Clone clone) {
      throw new IllegalArgumentException("'" + id + "' is cloned; name the clone '" + clone.id() + "' instead");
    }
    if (parent != null) {
      throw new IllegalArgumentException("'" + id + "' is a member of group '" + parent.id() + "'; move the group instead");
    }
    return r;
  }

  private static void nodeOrThrow(ClusterConfig c, String node) {
    if (c.node(node).isEmpty()) {
      throw new IllegalArgumentException("unknown node '" + node + "'"
          + Suggest.hint(node, c.nodes().stream().map(io.vigil.model.Node::name).toList()));
    }
  }

  private static List<Constraint> without(ClusterConfig c, java.util.function.Predicate<String> drop) {
    List<Constraint> out = new ArrayList<>();
    for (Constraint k : c.constraints()) if (!drop.test(k.id())) out.add(k);
    return out;
  }

  private static ClusterConfig with(ClusterConfig c, List<Constraint> constraints) {
    return new ClusterConfig(c.name(), c.nodes(), c.resources(), constraints, c.properties(), c.resourceDefaults(),
        c.operationDefaults(), c.fencingLevels());
  }
}
