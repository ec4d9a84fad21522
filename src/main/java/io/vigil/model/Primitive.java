package io.vigil.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A single resource run by one agent.
 *
 * @param params instance attributes passed to the agent (OCF_RESKEY_name)
 * @param secretParams parameters whose values are read from files at run time, never stored in
 *     the configuration, status or logs: parameter name to absolute file path
 * @param utilization capacity this resource consumes on its node, by name
 */
public record Primitive(
    String id,
    AgentRef agent,
    Map<String, String> params,
    Map<String, String> secretParams,
    Meta meta,
    List<Operation> operations,
    Map<String, Integer> utilization) implements Resource {

  public Primitive {
    Ids.require(id, "resource");
    Objects.requireNonNull(agent, "agent");
    params = Maps.copy(params);
    secretParams = Maps.copy(secretParams);
    meta = meta == null ? Meta.EMPTY : meta;
    operations = List.copyOf(operations);
    utilization = Maps.copy(utilization);
  }

  /** A primitive with only an agent and parameters. */
  public static Primitive of(String id, AgentRef agent, Map<String, String> params) {
    return new Primitive(id, agent, params, Map.of(), Meta.EMPTY, List.of(), Map.of());
  }

  @Override
  public List<Primitive> primitives() {
    return List.of(this);
  }

  @Override
  public List<Resource> children() {
    return List.of();
  }

  public Primitive withMeta(Meta newMeta) {
    return new Primitive(id, agent, params, secretParams, newMeta, operations, utilization);
  }

  public Primitive withOperations(List<Operation> ops) {
    return new Primitive(id, agent, params, secretParams, meta, ops, utilization);
  }
}
