package io.vigil.model;

import java.util.List;

/** A configured resource: a {@link Primitive}, a {@link Group} of primitives, or a {@link Clone}. */
public sealed interface Resource permits Primitive, Group, Clone {
  String id();

  Meta meta();

  /** This resource's primitives, in configuration order. */
  List<Primitive> primitives();

  /** Its direct children (members of a group, the cloned resource); empty for a primitive. */
  List<Resource> children();
}
