package io.vigil.cluster.coordinator;

import io.vigil.model.Clone;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Constraint;
import io.vigil.model.Location;
import io.vigil.model.Resource;
import io.vigil.model.Score;
import io.vigil.model.Suggest;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration changes behind {@code vigil resource move|ban|clear} (crm_resource -M/-B/-U):
 * location constraints named {@code cli-prefer-R} and {@code cli-ban-R-on-N}, so status can list
 * them and {@code clear} removes exactly them. Pure; a bad request throws with what was wrong.
 */
public final class OperatorEdits {
  public static final String PREFER = "cli-prefer-";
  public static final String BAN = "cli-ban-";

  private OperatorEdits() {}

  /** Moves {@code resource} to {@code node}: it prefers that node with INFINITY (replacing an earlier move). */
  public static ClusterConfig move(ClusterConfig c, String resource, String node) {
    Resource r = resourceOrThrow(c, resource);
    nodeOrThrow(c, node);
    List<Constraint> out = without(c, k -> k.equals(PREFER + r.id()));
    out.add(Location.of(PREFER + r.id(), r.id(), node, Score.INFINITY));
    return with(c, out);
  }

  /** Keeps {@code resource} off {@code node} (-INFINITY) until cleared. */
  public static ClusterConfig ban(ClusterConfig c, String resource, String node) {
    Resource r = resourceOrThrow(c, resource);
    nodeOrThrow(c, node);
    String id = BAN + r.id() + "-on-" + node;
    List<Constraint> out = without(c, k -> k.equals(id));
    out.add(Location.of(id, r.id(), node, Score.MINUS_INFINITY));
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

  /** Whether a constraint id is one of these commands' for the resource. */
  public static boolean isOperatorConstraintOf(String constraintId, String resource) {
    return constraintId.equals(PREFER + resource) || constraintId.startsWith(BAN + resource + "-on-");
  }

  /** Every move or ban in force, as human-readable lines (status warns about them: they are easy to forget). */
  public static List<String> inForce(ClusterConfig c) {
    List<String> out = new ArrayList<>();
    for (Constraint k : c.constraints()) {
      if (k instanceof Location l && (l.id().startsWith(PREFER) || l.id().startsWith(BAN)) && l.node().isPresent()) {
        String what = l.id().startsWith(PREFER) ? "moved to" : "banned from";
        out.add(l.resource().orElse("?") + " " + what + " " + l.node().get() + " (constraint " + l.id()
            + "; vigil resource clear " + l.resource().orElse("?") + ")");
      }
    }
    return out;
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
