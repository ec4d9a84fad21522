package io.vigil.scheduler.simulate;

import io.vigil.model.ClusterConfig;
import io.vigil.model.Clone;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.scheduler.Transition;
import java.util.LinkedHashSet;
import java.util.Set;

/** Renders a transition in crm_simulate's text layout, so both can be compared line by line. */
public final class SimulationReport {
  private SimulationReport() {}

  /** Allocation scores as crm_simulate's --scores prints them, one line per resource and node. */
  public static String scores(Transition t) {
    StringBuilder out = new StringBuilder("Allocation scores:\n");
    for (Transition.AllocationScore s : t.scores()) {
      out.append("  ").append(s.resource()).append(" allocation score on ").append(s.node()).append(": ")
          .append(s.score()).append('\n');
      for (String w : s.why()) out.append("      ").append(w).append('\n');
    }
    return out.toString();
  }

  /** The three sections: current status, transition summary and revised status. */
  public static String render(ClusterConfig config, Transition t) {
    StringBuilder out = new StringBuilder();
    out.append("Current cluster status:\n");
    new StatusPrinter(config, t, false).print(out);
    out.append("\nTransition Summary:\n");
    out.append(SummaryPrinter.format(new SummaryPrinter(t, promotableInstances(config, t)).lines()));
    out.append("\nRevised Cluster Status:\n");
    new StatusPrinter(config, t, true).print(out);
    if (!t.unsupported().isEmpty()) {
      out.append("\nUnsupported:\n");
      t.unsupported().forEach(u -> out.append("  * ").append(u).append('\n'));
    }
    if (!t.warnings().isEmpty()) {
      out.append("\nWarnings:\n");
      t.warnings().forEach(u -> out.append("  * ").append(u).append('\n'));
    }
    return out.toString();
  }

  private static Set<String> promotableInstances(ClusterConfig config, Transition t) {
    Set<String> prims = new LinkedHashSet<>();
    for (Resource r : config.resources()) {
      if (r instanceof Clone c && c.promotable()) for (Primitive p : c.primitives()) prims.add(p.id());
    }
    Set<String> out = new LinkedHashSet<>();
    t.placements().forEach(p -> {
      if (prims.contains(p.resourceId())) out.add(p.instanceId());
    });
    return out;
  }
}
