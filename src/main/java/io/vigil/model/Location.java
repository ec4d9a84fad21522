package io.vigil.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a resource may or prefers to run: a score for one node, or rules evaluated per node.
 *
 * @param resource the resource id; empty when {@link #resourcePattern} is used
 * @param resourcePattern a regular expression over resource ids (Pacemaker's rsc-pattern)
 * @param node the node for a simple score constraint; empty when {@link #rules} are used
 * @param resourceDiscovery always, never or exclusive: where the resource is probed
 */
public record Location(
    String id,
    Optional<String> resource,
    Optional<String> resourcePattern,
    Optional<String> node,
    Optional<Score> score,
    List<Rule> rules,
    Optional<Role> role,
    String resourceDiscovery) implements Constraint {

  public Location {
    Ids.require(id, "location constraint");
    Objects.requireNonNull(resource);
    Objects.requireNonNull(resourcePattern);
    Objects.requireNonNull(node);
    Objects.requireNonNull(score);
    rules = List.copyOf(rules);
    Objects.requireNonNull(role);
    resourceDiscovery = resourceDiscovery == null ? "always" : resourceDiscovery;
    if (resource.isPresent() == resourcePattern.isPresent()) {
      throw new IllegalArgumentException("location '" + id + "' needs exactly one of resource and resource-pattern");
    }
    if (node.isPresent() != score.isPresent() || node.isPresent() == !rules.isEmpty()) {
      throw new IllegalArgumentException("location '" + id + "' needs either node and score, or rules");
    }
  }

  /** A simple {@code resource prefers/avoids node with score} constraint. */
  public static Location of(String id, String resource, String node, Score score) {
    return new Location(id, Optional.of(resource), Optional.empty(), Optional.of(node), Optional.of(score),
        List.of(), Optional.empty(), "always");
  }
}
