package io.vigil.config;

import io.vigil.model.ClusterConfig;
import io.vigil.model.Group;
import io.vigil.model.Order;
import io.vigil.model.Resource;
import io.vigil.model.ResourceSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds cycles among mandatory orderings (explicit orders, their symmetrical reverses, and the
 * implicit order inside groups). Nodes are (resource, action) pairs, so "a then b" with the
 * reverse "stop b then stop a" is not a cycle, but "a then b" plus "b then a" is.
 */
final class OrderCycles {
  /** An edge and the constraint (or group) that made it. */
  private record Edge(String to, String source) {}

  private final Map<String, List<Edge>> edges = new LinkedHashMap<>();

  static Optional<List<String>> find(ClusterConfig config) {
    OrderCycles g = new OrderCycles();
    for (Resource r : config.allResources()) {
      if (r instanceof Group group) {
        for (int i = 1; i < group.members().size(); i++) {
          g.add(group.members().get(i - 1).id(), "start", group.members().get(i).id(), "start", "group '" + group.id() + "'", true);
        }
      }
    }
    config.constraints().stream().filter(c -> c instanceof Order).map(Order.class::cast)
        .filter(o -> o.kind() == Order.Kind.MANDATORY).forEach(g::addOrder);
    return g.cycle();
  }

  private void addOrder(Order o) {
    String label = "order '" + o.id() + "'";
    if (o.sets().isEmpty()) {
      String fa = o.firstAction().orElse(Order.Action.START).label();
      String ta = o.thenAction().map(Order.Action::label).orElse(fa);
      add(o.first().orElseThrow(), fa, o.then().orElseThrow(), ta, label, o.isSymmetrical());
      return;
    }
    List<ResourceSet> sets = o.sets();
    for (int s = 0; s < sets.size(); s++) {
      ResourceSet set = sets.get(s);
      String action = set.action().orElse(Order.Action.START).label();
      if (set.sequential()) {
        for (int i = 1; i < set.resources().size(); i++) {
          add(set.resources().get(i - 1), action, set.resources().get(i), action, label, o.isSymmetrical());
        }
      }
      if (s + 1 < sets.size() && set.requireAll()) {
        ResourceSet next = sets.get(s + 1);
        String nextAction = next.action().orElse(Order.Action.START).label();
        List<String> from = set.sequential() ? List.of(set.resources().getLast()) : set.resources();
        List<String> to = next.sequential() ? List.of(next.resources().getFirst()) : next.resources();
        for (String a : from) {
          for (String b : to) add(a, action, b, nextAction, label, o.isSymmetrical());
        }
      }
    }
  }

  private void add(String first, String fa, String then, String ta, String source, boolean symmetrical) {
    edge(first + " " + fa, then + " " + ta, source);
    if (symmetrical) edge(then + " " + inverse(ta), first + " " + inverse(fa), source);
  }

  private void edge(String from, String to, String source) {
    edges.computeIfAbsent(from, k -> new ArrayList<>()).add(new Edge(to, source));
  }

  private static String inverse(String action) {
    return switch (action) {
      case "start" -> "stop";
      case "stop" -> "start";
      case "promote" -> "demote";
      default -> "promote";
    };
  }

  /** One cycle as a readable path, iteratively (no recursion on hostile input). */
  private Optional<List<String>> cycle() {
    Map<String, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
    for (String start : edges.keySet()) {
      if (state.containsKey(start)) continue;
      Deque stack = new Deque();
      stack.push(start);
      state.put(start, 1);
      while (!stack.isEmpty()) {
        String top = stack.peekNode();
        List<Edge> out = edges.getOrDefault(top, List.of());
        int next = stack.nextIndex();
        if (next >= out.size()) {
          state.put(top, 2);
          stack.pop();
          continue;
        }
        stack.advance();
        Edge e = out.get(next);
        Integer st = state.get(e.to);
        if (st == null) {
          state.put(e.to, 1);
          stack.push(e.to);
          stack.viaSource(e.source);
        } else if (st == 1) {
          return Optional.of(stack.pathFrom(e.to, e.source));
        }
      }
    }
    return Optional.empty();
  }

  /** A DFS stack of nodes with the next edge index of each and the edge source that led there. */
  private static final class Deque {
    private final List<String> nodes = new ArrayList<>();
    private final List<Integer> index = new ArrayList<>();
    private final List<String> via = new ArrayList<>();

    void push(String n) {
      nodes.add(n);
      index.add(0);
      via.add("");
    }

    void viaSource(String s) {
      via.set(via.size() - 1, s);
    }

    String peekNode() {
      return nodes.getLast();
    }

    int nextIndex() {
      return index.getLast();
    }

    void advance() {
      index.set(index.size() - 1, index.getLast() + 1);
    }

    void pop() {
      nodes.removeLast();
      index.removeLast();
      via.removeLast();
    }

    boolean isEmpty() {
      return nodes.isEmpty();
    }

    List<String> pathFrom(String node, String closingSource) {
      int i = nodes.indexOf(node);
      List<String> path = new ArrayList<>();
      Set<String> sources = new LinkedHashSet<>();
      for (int j = i; j < nodes.size(); j++) {
        path.add(nodes.get(j));
        if (j > i) sources.add(via.get(j));
      }
      sources.add(closingSource);
      path.add(node);
      path.add("(" + String.join(", ", sources) + ")");
      return path;
    }
  }
}
