package io.vigil.scheduler;

import io.vigil.model.Colocation;
import io.vigil.model.Constraint;
import io.vigil.model.Order;
import io.vigil.model.ResourceSet;
import io.vigil.model.Role;
import io.vigil.model.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Expands resource sets into pairwise constraints with Pacemaker's meaning. Colocation: inside a
 * sequential set each member is placed with the one before it; between consecutive sets the first
 * member of the earlier set is placed with the last member of the later one (every member when a
 * set is not sequential). Order: inside a sequential set each member after the previous; between
 * sets every "last" of the earlier set before every "first" of the later one.
 */
final class SetExpander {
  private SetExpander() {}

  static List<Colocation> colocations(List<Constraint> constraints, List<String> unsupported) {
    List<Colocation> out = new ArrayList<>();
    for (Constraint c : constraints) {
      if (!(c instanceof Colocation col)) continue;
      if (col.sets().isEmpty()) {
        out.add(col);
        continue;
      }
      List<ResourceSet> sets = col.sets();
      for (int k = 0; k < sets.size(); k++) {
        ResourceSet s = sets.get(k);
        List<String> r = s.resources();
        if (s.sequential()) {
          for (int i = 1; i < r.size(); i++) {
            if (col.score().value() > 0) {
              out.add(pair(col, r.get(i), s.role(), r.get(i - 1), s.role(), col.score()));
            } else {
              for (int j = 0; j < i; j++) out.add(pair(col, r.get(i), s.role(), r.get(j), s.role(), col.score()));
            }
          }
        }
        if (k == 0) continue;
        ResourceSet prev = sets.get(k - 1);
        List<String> deps = prev.sequential() ? List.of(prev.resources().get(0)) : prev.resources();
        List<String> prims = s.sequential() ? List.of(r.get(r.size() - 1)) : r;
        for (String d : deps) for (String p : prims) out.add(pair(col, d, prev.role(), p, s.role(), col.score()));
      }
    }
    return out;
  }

  private static Colocation pair(Colocation c, String dep, Optional<Role> depRole, String prim, Optional<Role> primRole,
      Score score) {
    return new Colocation(c.id(), score, Optional.of(dep), depRole.or(c::role), Optional.of(prim),
        primRole.or(c::withRole), c.nodeAttribute(), c.influence(), List.of());
  }

  /**
   * @param anyOf filled with, for each pair expanded from a set with require-all=false, all of that
   *     set's members: "then" may start once any one of them runs (Pacemaker's one-or-more pseudo-action)
   */
  static List<Order> orders(List<Constraint> constraints, java.util.Map<Order, List<String>> anyOf) {
    List<Order> out = new ArrayList<>();
    for (Constraint c : constraints) {
      if (!(c instanceof Order o)) continue;
      if (o.sets().isEmpty()) {
        out.add(o);
        continue;
      }
      List<ResourceSet> sets = o.sets();
      for (int k = 0; k < sets.size(); k++) {
        ResourceSet s = sets.get(k);
        List<String> r = s.resources();
        if (s.sequential()) {
          for (int i = 1; i < r.size(); i++) out.add(pair(o, r.get(i - 1), s.action(), r.get(i), s.action()));
        }
        if (k == 0) continue;
        ResourceSet prev = sets.get(k - 1);
        List<String> firsts = prev.sequential() ? List.of(prev.resources().get(prev.resources().size() - 1))
            : prev.resources();
        List<String> thens = s.sequential() ? List.of(r.get(0)) : r;
        for (String f : firsts) {
          for (String t : thens) {
            Order p = pair(o, f, prev.action(), t, s.action());
            out.add(p);
            if (!prev.requireAll()) anyOf.put(p, prev.resources());
          }
        }
      }
    }
    return out;
  }

  private static Order pair(Order o, String first, Optional<Order.Action> fa, String then, Optional<Order.Action> ta) {
    return new Order(o.id(), o.kind(), Optional.of(first), fa.or(o::firstAction), Optional.of(then),
        ta.or(o::thenAction), o.symmetrical(), List.of());
  }
}
