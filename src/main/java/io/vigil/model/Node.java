package io.vigil.model;

import java.util.Map;

/**
 * A cluster node as configured.
 *
 * @param id the node's numeric or textual id ({@code #id} in rules); defaults to its name
 * @param attributes permanent node attributes, usable in location rules
 * @param utilization capacity offered to resources, by name
 * @param witness a voter that never runs resources (the third vote of a two-node cluster, like
 *     corosync-qnetd): placed nothing, and needs no fencing while it has run nothing
 */
public record Node(
    String name,
    String id,
    Map<String, String> attributes,
    boolean standby,
    boolean maintenance,
    Map<String, Integer> utilization,
    boolean witness) {

  /** A node that is not a witness. */
  public Node(String name, String id, Map<String, String> attributes, boolean standby, boolean maintenance,
      Map<String, Integer> utilization) {
    this(name, id, attributes, standby, maintenance, utilization, false);
  }

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
    return new Node(name, id, attributes, on, maintenance, utilization, witness);
  }

  public Node withMaintenance(boolean on) {
    return new Node(name, id, attributes, standby, on, utilization, witness);
  }
}
