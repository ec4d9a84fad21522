package io.vigil.model;

/** A placement or ordering rule between resources and nodes. */
public sealed interface Constraint permits Location, Colocation, Order {
  String id();
}
