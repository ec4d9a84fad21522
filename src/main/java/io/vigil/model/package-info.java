/**
 * The immutable cluster model in Pacemaker's vocabulary: nodes, resources (primitives, groups,
 * clones), operations, constraints, rules, properties and fencing topology, plus {@link
 * io.vigil.model.Score}. Pure values only; depends on nothing but the JDK.
 */
package io.vigil.model;
