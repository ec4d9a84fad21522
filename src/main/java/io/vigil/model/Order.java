package io.vigil.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * In which order actions happen: {@code first}'s action before {@code then}'s action (and, when
 * symmetrical, the reverse for stops). Or the same over resource sets.
 */
public record Order(
    String id,
    Kind kind,
    Optional<String> first,
    Optional<Action> firstAction,
    Optional<String> then,
    Optional<Action> thenAction,
    Optional<Boolean> symmetrical,
    List<ResourceSet> sets) implements Constraint {

  /** Mandatory: then waits for first; Optional: only when both are scheduled; Serialize: never at once. */
  public enum Kind {
    MANDATORY("Mandatory"), OPTIONAL("Optional"), SERIALIZE("Serialize");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Optional<Kind> parse(String s) {
      for (Kind k : values()) {
        if (k.label.equalsIgnoreCase(s.strip())) return Optional.of(k);
      }
      return Optional.empty();
    }
  }

  /** The resource actions an order can name. */
  public enum Action {
    START("start"), STOP("stop"), PROMOTE("promote"), DEMOTE("demote");

    private final String label;

    Action(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Optional<Action> parse(String s) {
      for (Action a : values()) {
        if (a.label.equals(s.strip().toLowerCase(Locale.ROOT))) return Optional.of(a);
      }
      return Optional.empty();
    }
  }

  public Order {
    Ids.require(id, "order constraint");
    Objects.requireNonNull(kind);
    Objects.requireNonNull(first);
    Objects.requireNonNull(firstAction);
    Objects.requireNonNull(then);
    Objects.requireNonNull(thenAction);
    Objects.requireNonNull(symmetrical);
    sets = List.copyOf(sets);
    if (sets.isEmpty() == (first.isEmpty() || then.isEmpty())) {
      throw new IllegalArgumentException("order '" + id + "' needs either first and then, or sets");
    }
  }

  public static Order of(String id, String first, String then) {
    return new Order(id, Kind.MANDATORY, Optional.of(first), Optional.empty(), Optional.of(then),
        Optional.empty(), Optional.empty(), List.of());
  }

  /** Pacemaker's default: symmetrical unless Serialize. */
  public boolean isSymmetrical() {
    return symmetrical.orElse(kind != Kind.SERIALIZE);
  }
}
