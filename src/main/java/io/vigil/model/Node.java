package io.vigil.model;

import java.util.Map;

/**
 * A cluster node as configured.
 *
 * @param id the node's numeric or textual id ({@code #id} in rules); defaults to its name
 * @param attributes permanent node attributes, usable in location rules
 * @param utilization capacity offered to resources, by name
 */
public record Node(
    String name,
    String id,
    Map<String, String> attributes,
    boolean standby,
    boolean maintenance,
    Map<String, Integer> utilization) {

  public Node {
    Ids.require(name, "node");
    id = id == null || id.isEmpty() ? name : id;
    attributes = Maps.copy(attributes);
    utilization = Maps.copy(utilization);
  }

  public static Node named(String name) {
    return new Node(name, name, Map.of(), false, false, Map.of());
  }

  public Node withStandby(boolean on) {
    return new Node(name, id, attributes, on, maintenance, utilization);
  }

  public Node withMaintenance(boolean on) {
    return new Node(name, id, attributes, standby, on, utilization);
  }
}
