package io.vigil.model;

import java.util.List;

/**
 * Primitives that run together on one node, started in order and stopped in reverse order
 * (an implicit chain of colocation and order constraints).
 */
public record Group(String id, List<Primitive> members, Meta meta) implements Resource {

  public Group {
    Ids.require(id, "group");
    members = List.copyOf(members);
    if (members.isEmpty()) throw new IllegalArgumentException("group '" + id + "' has no members");
    meta = meta == null ? Meta.EMPTY : meta;
  }

  @Override
  public List<Primitive> primitives() {
    return members;
  }

  @Override
  public List<Resource> children() {
    return List.copyOf(members);
  }
}
