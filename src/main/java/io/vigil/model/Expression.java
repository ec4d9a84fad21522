package io.vigil.model;

/** A condition inside a {@link Rule}: on a node attribute, on the date, or a nested rule. */
public sealed interface Expression permits AttributeExpression, DateExpression, Rule {
  String id();
}
