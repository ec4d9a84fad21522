package io.vigil.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A comparison on a node attribute, including the built-ins {@code #uname}, {@code #id} and
 * {@code #kind}: {@code attribute operation value}, compared as {@link #type}.
 *
 * @param value empty for {@code defined}/{@code not_defined}
 * @param valueSource {@code literal}, {@code param} or {@code meta}
 */
public record AttributeExpression(
    String id,
    String attribute,
    Operator operation,
    Optional<String> value,
    ValueType type,
    String valueSource) implements Expression {

  /** Comparison operators, as Pacemaker spells them. */
  public enum Operator {
    LT("lt"), GT("gt"), LTE("lte"), GTE("gte"), EQ("eq"), NE("ne"), DEFINED("defined"), NOT_DEFINED("not_defined");

    private final String label;

    Operator(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Optional<Operator> parse(String s) {
      for (Operator o : values()) {
        if (o.label.equals(s.strip().toLowerCase(Locale.ROOT))) return Optional.of(o);
      }
      return Optional.empty();
    }
  }

  /** How values are compared. */
  public enum ValueType {
    STRING("string"), INTEGER("integer"), NUMBER("number"), VERSION("version");

    private final String label;

    ValueType(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Optional<ValueType> parse(String s) {
      String t = s.strip().toLowerCase(Locale.ROOT);
      if (t.equals("int")) return Optional.of(INTEGER);
      for (ValueType v : values()) {
        if (v.label.equals(t)) return Optional.of(v);
      }
      return Optional.empty();
    }
  }

  public AttributeExpression {
    Ids.require(id, "expression");
    Objects.requireNonNull(attribute);
    Objects.requireNonNull(operation);
    Objects.requireNonNull(value);
    Objects.requireNonNull(type);
    valueSource = valueSource == null ? "literal" : valueSource;
    boolean needsValue = operation != Operator.DEFINED && operation != Operator.NOT_DEFINED;
    if (needsValue && value.isEmpty()) {
      throw new IllegalArgumentException("expression '" + id + "': operation " + operation.label() + " needs a value");
    }
  }
}
