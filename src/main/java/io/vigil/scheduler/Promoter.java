package io.vigil.scheduler;

import io.vigil.model.Colocation;
import io.vigil.model.Constraint;
import io.vigil.model.Location;
import io.vigil.model.Meta;
import io.vigil.model.Role;
import io.vigil.model.Rule;
import io.vigil.model.Score;
import io.vigil.status.NodeStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses which instances of a promotable clone are promoted: the highest promotion scores
 * (node attribute {@code master-RSC} plus Promoted-role location constraints), at most
 * promoted-max in the cluster and promoted-node-max per node; a negative score never promotes.
 */
final class Promoter {
  private final Context ctx;
  private final CloneSet cs;
  private final RuleEvaluator rules;

  private final java.util.function.Function<Object, Map<String, Score>> baseOf;

  Promoter(Context ctx, CloneSet cs, RuleEvaluator rules, java.util.function.Function<Object, Map<String, Score>> baseOf) {
    this.baseOf = baseOf;
    this.ctx = ctx;
    this.cs = cs;
    this.rules = rules;
  }

  void run() {
    for (Unit u : cs.instances) {
      Role r = u.assigned == null ? Role.STOPPED : (cs.promotable ? Role.UNPROMOTED : Role.STARTED);
      for (Inst i : u.members) i.targetRole = r;
    }
    if (!cs.promotable) return;
    if (!ctx.quorumPolicy.equals("ignore")) {
      // Without quorum nothing is promoted; "freeze" keeps promoted instances as they are.
      if (ctx.quorumPolicy.equals("freeze")) {
        for (Unit u : cs.instances) {
          for (Inst i : u.members) if (u.assigned != null && i.currentRole() == Role.PROMOTED) i.targetRole = Role.PROMOTED;
        }
      }
      return;
    }
    Role wanted = cs.instances.get(0).members.get(0).meta.getOrDefault(Meta.TARGET_ROLE);
    if (wanted == Role.UNPROMOTED) return;
    List<Unit> cands = new ArrayList<>();
    Map<Unit, Integer> score = new HashMap<>();
    int promoted = 0;
    Map<String, Integer> perNode = new HashMap<>();
    for (Unit u : cs.instances) {
      if (u.assigned == null) continue;
      boolean unmanaged = u.members.stream().anyMatch(i -> !i.managed);
      if (unmanaged) {
        for (Inst i : u.members) i.targetRole = i.currentRole() == Role.STOPPED ? Role.STOPPED : i.currentRole();
        // an unmanaged promoted instance (e.g. on a node in maintenance) stays promoted and counts
        if (u.members.stream().anyMatch(i -> i.currentRole() == Role.PROMOTED)) {
          perNode.merge(u.assigned, 1, Integer::sum);
          promoted++;
        }
        continue;
      }
      Integer s = promotionScore(u);
      if (s == null) continue;
      score.put(u, s);
      cands.add(u);
    }
    cands.sort(Comparator.comparingInt((Unit u) -> -score.get(u))
        .thenComparingInt(u -> u.members.get(0).currentRole() == Role.PROMOTED ? 0 : 1)
        .thenComparingInt(u -> u.instanceNo));
    for (Unit u : cands) {
      if (promoted >= cs.promotedMax) break;
      if (score.get(u) < 0) continue;
      if (perNode.getOrDefault(u.assigned, 0) >= cs.promotedNodeMax) continue;
      for (Inst i : u.members) i.targetRole = Role.PROMOTED;
      perNode.merge(u.assigned, 1, Integer::sum);
      promoted++;
    }
  }

  private Integer promotionScore(Unit u) {
    String node = u.assigned;
    Map<String, String> attrs = ctx.nodeAttrs.get(node);
    for (Inst i : u.members) {
      if (attrs.containsKey(NodeStatus.promotionVeto(i.prim.id()))) return -Score.INFINITY_VALUE;
    }
    Integer attr = null;
    for (Inst i : u.members) {
      attr = attribute(attrs, i, cs.unique);
      if (attr != null) break;
    }
    Score loc = Score.ZERO;
    boolean hasLoc = false;
    for (Constraint c : ctx.config.constraints()) {
      if (c instanceof Location l) {
        String rid = l.resource().orElse("");
        if (!rid.equals(cs.clone.id()) && !rid.equals(cs.clone.child().id())) continue;
        boolean locPromoted = l.role().orElse(Role.STARTED) == Role.PROMOTED;
        if (l.node().isPresent()) {
          if (locPromoted && l.node().get().equals(node)) {
            loc = loc.plus(l.score().get());
            hasLoc = true;
          }
        } else {
          for (Rule r : l.rules()) {
            boolean promoted = locPromoted || r.role().orElse(Role.STARTED) == Role.PROMOTED;
            if (promoted && r.score().isPresent() && rules.matches(r, attrs)) {
              loc = loc.plus(r.score().get());
              hasLoc = true;
            }
          }
        }
      }
    }
    for (Colocation col : ctx.colocations) {
      if (col.sets().isEmpty()
          && col.role().orElse(Role.STARTED) == Role.PROMOTED
          && (col.resource().get().equals(cs.clone.id()) || col.resource().get().equals(cs.clone.child().id()))) {
        List<String> where = primaryNodes(col);
        if (where == null) continue;
        if (where.contains(node)) {
          loc = loc.plus(col.score());
          hasLoc = true;
        } else if (col.score().isPlusInfinity()) {
          loc = Score.MINUS_INFINITY;
          hasLoc = true;
        }
      }
    }
    // dependents that must run with the promoted instance keep it off nodes they cannot use
    for (Colocation col : ctx.colocations) {
      if (col.withRole().orElse(Role.STARTED) != Role.PROMOTED) continue;
      if (!col.with().get().equals(cs.clone.id()) && !col.with().get().equals(cs.clone.child().id())) continue;
      if (col.influence().isPresent() && !col.influence().get()) continue;
      if (!(ctx.byId.get(col.resource().get()) instanceof Unit d) || d.done) continue;
      Map<String, Score> table = baseOf.apply(d);
      if (table == null) continue;
      // with a single promoted instance, a mandatory dependent that cannot run here keeps promotion away
      if (cs.promotedMax == 1 && col.score().isPlusInfinity() && Scores.get(table, node).isMinusInfinity()
          && Scores.anyAvailable(table, ctx.nodes)) {
        loc = Score.MINUS_INFINITY;
        hasLoc = true;
      }
    }
    if (attr == null && !hasLoc) {
      return u.members.get(0).currentRole() == Role.PROMOTED ? 0 : null;
    }
    Score total = Score.of(attr == null ? 0 : attr).plus(loc);
    if (u.members.get(0).currentRole() == Role.PROMOTED) {
      total = total.plus(u.members.get(0).meta.get(Meta.STICKINESS).orElse(Score.ZERO));
    }
    return total.value();
  }

  /** Nodes where a colocation's primary will run (in its role), or null when it is unknown. */
  private List<String> primaryNodes(Colocation col) {
    Object p = ctx.byId.get(col.with().get());
    if (p instanceof Unit pu) return pu.assigned == null ? List.of() : List.of(pu.assigned);
    if (p instanceof CloneSet pc && pc != cs) {
      Role r = col.withRole().orElse(null);
      return pc.nodesWith(r == Role.STARTED ? null : r);
    }
    return null;
  }

  /** The promotion score attribute on the node: master-ID:N, master-ID, or any master-ID:M there. */
  private static Integer attribute(Map<String, String> attrs, Inst i, boolean unique) {
    String v = attrs.get(NodeStatus.promotionScore(i.id));
    if (v == null) v = attrs.get(NodeStatus.promotionScore(i.prim.id()));
    if (v == null) v = attrs.get("promotion-" + i.prim.id());
    if (v == null && !unique) {
      String prefix = NodeStatus.promotionScore(i.prim.id()) + ":";
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(attrs).entrySet()) {
        if (e.getKey().startsWith(prefix)) {
          v = e.getValue();
          break;
        }
      }
    }
    if (v == null) return null;
    try {
      return Score.parse(v).value();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
