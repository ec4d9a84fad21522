package io.vigil.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a resource runs relative to another: {@code resource} is placed with (positive score) or
 * away from (negative) {@code with}, which is placed first. Or the same over resource sets.
 *
 * @param influence whether {@code resource}'s preferences influence where {@code with} goes
 */
public record Colocation(
    String id,
    Score score,
    Optional<String> resource,
    Optional<Role> role,
    Optional<String> with,
    Optional<Role> withRole,
    Optional<String> nodeAttribute,
    Optional<Boolean> influence,
    List<ResourceSet> sets) implements Constraint {

  public Colocation {
    Ids.require(id, "colocation constraint");
    Objects.requireNonNull(score);
    Objects.requireNonNull(resource);
    Objects.requireNonNull(role);
    Objects.requireNonNull(with);
    Objects.requireNonNull(withRole);
    Objects.requireNonNull(nodeAttribute);
    Objects.requireNonNull(influence);
    sets = List.copyOf(sets);
    if (sets.isEmpty() == (resource.isEmpty() || with.isEmpty())) {
      throw new IllegalArgumentException("colocation '" + id + "' needs either resource and with, or sets");
    }
  }

  public static Colocation of(String id, String resource, String with, Score score) {
    return new Colocation(id, score, Optional.of(resource), Optional.empty(), Optional.of(with),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of());
  }
}
