package io.vigil.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rule: expressions combined with {@code and}/{@code or}; when it matches a node, that node
 * gets {@link #score} (or the value of the node attribute {@link #scoreAttribute}).
 */
public record Rule(
    String id,
    Optional<Score> score,
    Optional<String> scoreAttribute,
    Optional<Role> role,
    BooleanOp booleanOp,
    List<Expression> expressions) implements Expression {

  /** How a rule combines its expressions. */
  public enum BooleanOp {
    AND, OR;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Rule {
    Ids.require(id, "rule");
    Objects.requireNonNull(score);
    Objects.requireNonNull(scoreAttribute);
    Objects.requireNonNull(role);
    Objects.requireNonNull(booleanOp);
    expressions = List.copyOf(expressions);
    if (score.isPresent() && scoreAttribute.isPresent()) {
      throw new IllegalArgumentException("rule '" + id + "' has both score and score-attribute");
    }
  }
}
