package io.vigil.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole cluster configuration: what {@code cluster.yaml} describes. Valid by construction
 * for everything a single value can check; cross-references (unknown ids, cycles) are checked
 * by the configuration checker before one is built from operator input.
 */
public record ClusterConfig(
    String name,
    List<Node> nodes,
    List<Resource> resources,
    List<Constraint> constraints,
    ClusterProperties properties,
    Meta resourceDefaults,
    OpDefaults operationDefaults,
    List<FencingLevel> fencingLevels) {

  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    nodes = List.copyOf(nodes);
    resources = List.copyOf(resources);
    constraints = List.copyOf(constraints);
    properties = properties == null ? ClusterProperties.DEFAULTS : properties;
    resourceDefaults = resourceDefaults == null ? Meta.EMPTY : resourceDefaults;
    operationDefaults = operationDefaults == null ? OpDefaults.EMPTY : operationDefaults;
    fencingLevels = List.copyOf(fencingLevels);
  }

  public static ClusterConfig empty(String name) {
    return new ClusterConfig(name, List.of(), List.of(), List.of(), ClusterProperties.DEFAULTS,
        Meta.EMPTY, OpDefaults.EMPTY, List.of());
  }

  /** Every resource at every level (clones, groups, primitives), parents before children. */
  public List<Resource> allResources() {
    List<Resource> out = new ArrayList<>();
    for (Resource r : resources) collect(r, out);
    return Collections.unmodifiableList(out);
  }

  private static void collect(Resource r, List<Resource> out) {
    out.add(r);
    for (Resource c : r.children()) collect(c, out);
  }

  /** Resources by id at every level. */
  public Map<String, Resource> resourcesById() {
    Map<String, Resource> byId = new LinkedHashMap<>();
    for (Resource r : allResources()) byId.putIfAbsent(r.id(), r);
    return Collections.unmodifiableMap(byId);
  }

  public Optional<Resource> resource(String id) {
    return allResources().stream().filter(r -> r.id().equals(id)).findFirst();
  }

  public Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /**
   * The meta attributes in force for a resource: the resource defaults, overridden by each
   * enclosing clone and group from the outside in, overridden by the resource's own.
   */
  public Meta effectiveMeta(String id) {
    java.util.Deque<Resource> chain = new java.util.ArrayDeque<>();
    Optional<Resource> r = resource(id);
    while (r.isPresent()) {
      chain.push(r.get());
      r = parentOf(r.get().id());
    }
    Meta meta = resourceDefaults;
    for (Resource level : chain) meta = meta.overriddenBy(level.meta());
    return meta;
  }

  /**
   * Every contained resource's id mapped to its direct container (group or clone), in one pass;
   * callers that look up many parents use this instead of {@link #parentOf}.
   */
  public Map<String, Resource> parents() {
    Map<String, Resource> parents = new java.util.HashMap<>();
    for (Resource r : allResources()) {
      for (Resource c : r.children()) parents.putIfAbsent(c.id(), r);
    }
    return Collections.unmodifiableMap(parents);
  }

  /** The resource that directly contains {@code id} (its group or clone), if any. */
  public Optional<Resource> parentOf(String id) {
    return allResources().stream()
        .filter(r -> r.children().stream().anyMatch(c -> c.id().equals(id)))
        .findFirst();
  }
}
