package io.vigil.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A set of resources inside a colocation or order constraint.
 *
 * @param sequential whether members are chained to each other (true) or independent (false)
 * @param requireAll for order sets: whether all members (true) or any one (false) must be done
 */
public record ResourceSet(
    String id,
    List<String> resources,
    boolean sequential,
    boolean requireAll,
    Optional<Role> role,
    Optional<Order.Action> action) {

  public ResourceSet {
    Ids.require(id, "resource set");
    resources = List.copyOf(resources);
    if (resources.isEmpty()) throw new IllegalArgumentException("resource set '" + id + "' is empty");
    Objects.requireNonNull(role);
    Objects.requireNonNull(action);
  }
}
