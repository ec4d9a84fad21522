package io.vigil.scheduler.simulate;

import io.vigil.scheduler.Transition;
import io.vigil.scheduler.Transition.Action;
import io.vigil.scheduler.Transition.Edge;
import io.vigil.scheduler.Transition.Kind;

/**
 * The action graph in Graphviz dot, in the style of crm_simulate's {@code -D}: one vertex per
 * action named {@code RSC_OP_INTERVAL NODE} (fencing {@code stonith 'reboot' NODE}), runnable
 * actions bold green, pseudo-actions orange, unrunnable ones dashed red; an edge per ordering.
 */
public final class GraphDot {
  private GraphDot() {}

  /** The graph as dot text (deterministic: actions and edges in the transition's order). */
  public static String render(Transition t) {
    StringBuilder out = new StringBuilder(" digraph \"g\" {\n");
    for (Edge e : t.edges()) {
      Action a = t.actions().get(e.first());
      Action b = t.actions().get(e.then());
      out.append(quote(name(a))).append(" -> ").append(quote(name(b)))
          .append(a.runnable() && b.runnable() ? " [ style = bold]" : " [ style = dashed]").append('\n');
    }
    for (Action a : t.actions()) {
      String color = !a.runnable() ? "red" : a.kind() == Kind.PSEUDO ? "orange" : "green";
      out.append(quote(name(a))).append(" [ style=").append(a.runnable() ? "bold" : "dashed")
          .append(" color=\"").append(color).append("\" fontcolor=\"")
          .append(a.kind() == Kind.FENCE ? "black" : a.kind() == Kind.PSEUDO ? "orange" : "black").append("\"]\n");
    }
    return out.append("}\n").toString();
  }

  /** crm_simulate's vertex name for an action. */
  static String name(Action a) {
    if (a.kind() == Kind.FENCE) return "stonith 'reboot' " + a.node();
    String key = a.resource() + "_" + a.task() + "_" + a.intervalMs();
    return a.node().isEmpty() ? key : key + " " + a.node();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
