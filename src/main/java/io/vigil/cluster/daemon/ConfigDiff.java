package io.vigil.cluster.daemon;

import io.vigil.model.ClusterConfig;
import io.vigil.model.Constraint;
import io.vigil.model.Node;
import io.vigil.model.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A short, deterministic summary of what a new configuration changes ("+ resource web", "~ node b"). */
public final class ConfigDiff {
  private ConfigDiff() {}

  /** Lines of the form {@code + kind id}, {@code - kind id}, {@code ~ kind id}; empty when nothing changed. */
  public static List<String> between(ClusterConfig old, ClusterConfig next) {
    List<String> out = new ArrayList<>();
    if (old == null) {
      out.add("+ configuration '" + next.name() + "' (" + next.nodes().size() + " nodes, "
          + next.allResources().size() + " resources, " + next.constraints().size() + " constraints)");
      return out;
    }
    if (!old.name().equals(next.name())) out.add("~ cluster name " + old.name() + " -> " + next.name());
    compare(out, "node", byId(old.nodes(), Node::name), byId(next.nodes(), Node::name));
    compare(out, "resource", byId(old.allResources(), Resource::id), byId(next.allResources(), Resource::id));
    compare(out, "constraint", byId(old.constraints(), Constraint::id), byId(next.constraints(), Constraint::id));
    if (!old.properties().equals(next.properties())) out.add("~ properties");
    if (!old.resourceDefaults().equals(next.resourceDefaults())) out.add("~ resource-defaults");
    if (!old.operationDefaults().equals(next.operationDefaults())) out.add("~ operation-defaults");
    if (!old.fencingLevels().equals(next.fencingLevels())) out.add("~ fencing levels");
    return out;
  }

  private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
    return items.stream().collect(Collectors.toMap(id, Function.identity(), (a, b) -> a, java.util.TreeMap::new));
  }

  private static <T> void compare(List<String> out, String kind, Map<String, T> old, Map<String, T> next) {
    TreeSet<String> ids = new TreeSet<>(old.keySet());
    ids.addAll(next.keySet());
    for (String id : ids) {
      T a = old.get(id);
      T b = next.get(id);
      if (a == null) out.add("+ " + kind + " " + id);
      else if (b == null) out.add("- " + kind + " " + id);
      else if (!Objects.equals(a, b)) out.add("~ " + kind + " " + id);
    }
  }
}
