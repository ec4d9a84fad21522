package io.vigil.scheduler.simulate;

import io.vigil.model.Role;
import io.vigil.scheduler.Transition;
import io.vigil.scheduler.Transition.Action;
import io.vigil.scheduler.Transition.Kind;
import io.vigil.scheduler.Transition.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints the "Transition Summary" lines (Start, Stop, Move, Recover, Restart, Promote, Demote, Fence). */
final class SummaryPrinter {
  private final Transition t;
  private final java.util.Set<String> promotable;

  SummaryPrinter(Transition t, java.util.Set<String> promotableInstances) {
    this.t = t;
    this.promotable = promotableInstances;
  }

  List<String[]> lines() {
    List<String[]> out = new ArrayList<>();
    for (String n : t.fenced()) {
      out.add(new String[] {"Fence (reboot)", n, "", "'node is unclean'"});
    }
    for (Placement p : t.placements()) {
      if (!p.managed()) continue;
      line(p, out);
    }
    return out;
  }

  /** Resource, then node, to its start, stop and migrate_to actions (the only ones asked about). */
  private Map<String, Map<String, java.util.EnumSet<Kind>>> kinds;

  private boolean has(Kind k, String rsc, String node) {
    assert k == Kind.START || k == Kind.STOP || k == Kind.MIGRATE_TO : k;
    if (kinds == null) {
      kinds = new java.util.HashMap<>();
      for (Action a : t.actions()) {
        if (a.kind() != Kind.START && a.kind() != Kind.STOP && a.kind() != Kind.MIGRATE_TO) continue;
        kinds.computeIfAbsent(a.resource(), r -> new java.util.HashMap<>())
            .computeIfAbsent(a.node(), n -> java.util.EnumSet.noneOf(Kind.class)).add(a.kind());
      }
    }
    Map<String, java.util.EnumSet<Kind>> byNode = kinds.get(rsc);
    java.util.EnumSet<Kind> on = byNode == null ? null : byNode.get(node);
    return on != null && on.contains(k);
  }

  private String role(Placement p, Role r) {
    return promotable.contains(p.instanceId()) && r != Role.STARTED ? r.label() + " " : "";
  }

  private void line(Placement p, List<String[]> out) {
    Map<String, Role> cur = p.current();
    String tgt = p.target().orElse(null);
    Role tr = p.targetRole();
    String id = p.instanceId();
    String reason = p.reason().isEmpty() ? "" : p.reason();
    if (cur.isEmpty()) {
      if (tgt == null && p.blockedStart().isPresent()) {
        String why = (reason.isEmpty() ? "due to unrunnable probe" : reason) + " (blocked)";
        out.add(new String[] {"Start", id, p.blockedStart().get(), why});
        return;
      }
      if (tgt == null) return;
      if (tr == Role.PROMOTED) out.add(new String[] {"Promote", id, "Stopped -> Promoted " + tgt, reason});
      else out.add(new String[] {"Start", id, tgt, reason});
      return;
    }
    if (cur.size() > 1) {
      for (Map.Entry<String, Role> e : cur.entrySet()) {
        if (!e.getKey().equals(tgt)) out.add(new String[] {"Stop", id, role(p, e.getValue()) + e.getKey(), reason});
      }
      if (tgt != null && !cur.containsKey(tgt)) out.add(new String[] {"Start", id, tgt, reason});
      return;
    }
    String cn = cur.keySet().iterator().next();
    Role cr = cur.get(cn);
    if (tgt == null) {
      boolean avail = t.nodes().stream().anyMatch(n -> n.name().equals(cn)
          && n.state() == io.vigil.status.NodeState.ONLINE && !n.standby());
      String why = !reason.isEmpty() ? reason : avail ? "" : "due to node availability";
      out.add(new String[] {"Stop", id, role(p, cr) + cn, why});
      return;
    }
    if (!tgt.equals(cn)) {
      String action = p.failed() ? "Recover" : has(Kind.MIGRATE_TO, id, cn) ? "Migrate" : "Move";
      String detail;
      if (cr == tr || !promotable.contains(id)) {
        detail = cn + " -> " + tgt + (promotable.contains(id) && tr != Role.STARTED ? " " + tr.label() : "");
      } else {
        detail = cr.label() + " " + cn + " -> " + tr.label() + " " + tgt;
      }
      out.add(new String[] {action, id, detail, reason});
      return;
    }
    boolean restarted = has(Kind.STOP, id, cn) && has(Kind.START, id, cn);
    if (restarted) {
      if (p.failed()) {
        out.add(new String[] {"Recover", id, role(p, cr) + cn, ""});
      } else {
        out.add(new String[] {"Restart", id, role(p, cr) + cn, reason});
      }
      if (tr == Role.PROMOTED && cr != Role.PROMOTED) {
        out.remove(out.size() - 1);
        out.add(new String[] {"Promote", id, cr.label() + " -> Promoted " + cn, ""});
      }
      return;
    }
    if (tr == Role.PROMOTED && cr != Role.PROMOTED) {
      out.add(new String[] {"Promote", id, cr.label() + " -> Promoted " + cn, ""});
    } else if (tr != Role.PROMOTED && cr == Role.PROMOTED) {
      out.add(new String[] {"Demote", id, "Promoted -> " + tr.label() + " " + cn, ""});
    }
  }

  /** Formats the lines with crm_simulate's column alignment. */
  static String format(List<String[]> lines) {
    int width = 0;
    for (String[] l : lines) if (!l[0].startsWith("Fence")) width = Math.max(width, l[1].length());
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) {
      if (l[0].startsWith("Fence")) {
        sb.append("  * ").append(l[0]).append(' ').append(l[1]).append(' ').append(l[3]).append('\n');
        continue;
      }
      // padded by hand: String.format per line is the slowest part of a cold render
      sb.append("  * ");
      padded(sb, l[0], 10).append(' ');
      padded(sb, l[1], Math.max(1, width)).append(" ( ").append(l[2]).append(" )");
      if (!l[3].isEmpty()) sb.append("  ").append(l[3]);
      sb.append('\n');
    }
    return sb.toString();
  }

  /** {@code text} left-justified in {@code width} columns, as {@code %-<width>s} formats it. */
  private static StringBuilder padded(StringBuilder sb, String text, int width) {
    sb.append(text);
    for (int k = text.length(); k < width; k++) sb.append(' ');
    return sb;
  }
}
