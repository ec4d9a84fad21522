package io.vigil.model;

import java.util.List;
import java.util.Objects;

/**
 * A resource (primitive or group) run as several instances, optionally promotable. Clone options
 * (clone-max, interleave, promoted-max, ...) are meta attributes, as in Pacemaker.
 */
public record Clone(String id, Resource child, Meta meta) implements Resource {

  public Clone {
    Ids.require(id, "clone");
    Objects.requireNonNull(child, "child");
    if (child instanceof Clone) {
      throw new IllegalArgumentException("clone '" + id + "' cannot contain another clone '" + child.id() + "'");
    }
    meta = meta == null ? Meta.EMPTY : meta;
  }

  public boolean promotable() {
    return meta.getOrDefault(Meta.PROMOTABLE);
  }

  @Override
  public List<Primitive> primitives() {
    return child.primitives();
  }

  @Override
  public List<Resource> children() {
    return List.of(child);
  }
}
