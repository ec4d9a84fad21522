package io.vigil.config.cib;

import io.vigil.model.AttributeExpression;
import io.vigil.model.AttributeExpression.Operator;
import io.vigil.model.AttributeExpression.ValueType;
import io.vigil.model.DateExpression;
import io.vigil.model.Expression;
import io.vigil.model.Role;
import io.vigil.model.Rule;
import io.vigil.model.Score;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Converts Pacemaker {@code <rule>} elements (attribute and date expressions, nested rules) into
 * {@link Rule}s. A rule that contains anything it cannot express is skipped whole, because
 * dropping one condition would change which nodes match.
 */
final class RuleReader {
  /** Deeper nesting than this is certainly a reference loop or hostile input. */
  private static final int MAX_DEPTH = 32;
  private static final Set<String> DURATION_FIELDS =
      Set.of("years", "months", "weeks", "days", "hours", "minutes", "seconds");
  private static final Set<String> DATE_SPEC_FIELDS = Set.of(
      "years", "months", "monthdays", "hours", "minutes", "seconds", "yeardays", "weekyears", "weeks",
      "weekdays", "moon");

  private final CibContext ctx;

  RuleReader(CibContext ctx) {
    this.ctx = ctx;
  }

  /** The converted rule, or empty (with a note) when it cannot be expressed. */
  Optional<Rule> read(Element rule) {
    try {
      return Optional.of(rule(rule, 0, new HashSet<>()));
    } catch (Unconvertible u) {
      ctx.skip(u.where, u.getMessage());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      ctx.skip(rule, e.getMessage());
      return Optional.empty();
    }
  }

  private Rule rule(Element ref, int depth, Set<Element> open) {
    Element e = ctx.resolve(ref).orElseThrow(() -> new Unconvertible(ref, "unresolvable id-ref (rule skipped)"));
    if (depth > MAX_DEPTH || !open.add(e)) {
      throw new Unconvertible(ref, "rules nested more than " + MAX_DEPTH + " deep or referring to themselves");
    }
    Optional<Score> score = CibContext.attr(e, "score").map(s -> parseOr(s, e, "score"));
    Optional<String> scoreAttribute = CibContext.attr(e, "score-attribute").filter(s -> !s.isEmpty());
    Optional<Role> role = CibContext.attr(e, "role").map(r -> Role.parse(r).orElseThrow(() ->
        new Unconvertible(e, "role '" + r + "' is not a role (expected Started, Unpromoted or Promoted)")));
    Rule.BooleanOp op = switch (e.getAttribute("boolean-op").strip().toLowerCase(java.util.Locale.ROOT)) {
      case "", "and" -> Rule.BooleanOp.AND;
      case "or" -> Rule.BooleanOp.OR;
      default -> throw new Unconvertible(e, "boolean-op '" + e.getAttribute("boolean-op") + "' (expected and or or)");
    };
    List<Expression> expressions = new ArrayList<>();
    for (Element c : CibContext.children(e)) {
      expressions.add(switch (c.getTagName()) {
        case "expression" -> attributeExpression(resolved(c));
        case "date_expression" -> dateExpression(resolved(c));
        case "rule" -> rule(c, depth + 1, open);
        case "rsc_expression", "op_expression" -> throw new Unconvertible(c,
            "resource and operation expressions are not supported (the whole rule is skipped)");
        default -> throw new Unconvertible(c, "unknown rule element <" + c.getTagName() + "> (the whole rule is skipped)");
      });
    }
    open.remove(e);
    if (score.isPresent() && scoreAttribute.isPresent()) {
      ctx.adjust(e, "has both score and score-attribute; score-attribute is ignored, as in Pacemaker");
      scoreAttribute = Optional.empty();
    }
    return new Rule(e.getAttribute("id"), score, scoreAttribute, role, op, expressions);
  }

  private Element resolved(Element c) {
    return ctx.resolve(c).orElseThrow(() -> new Unconvertible(c, "unresolvable id-ref (the whole rule is skipped)"));
  }

  private static Score parseOr(String text, Element e, String what) {
    try {
      return Score.parse(text);
    } catch (IllegalArgumentException ex) {
      throw new Unconvertible(e, what + " '" + text + "' is not a score (expected an integer, INFINITY or -INFINITY)");
    }
  }

  private AttributeExpression attributeExpression(Element e) {
    String attribute = e.getAttribute("attribute");
    if (attribute.isEmpty()) throw new Unconvertible(e, "expression without an attribute");
    String opText = e.getAttribute("operation");
    Operator op = Operator.parse(opText).orElseThrow(() -> new Unconvertible(e,
        "operation '" + opText + "' (expected lt, gt, lte, gte, eq, ne, defined or not_defined)"));
    Optional<String> value = CibContext.attr(e, "value");
    ValueType type;
    if (e.hasAttribute("type")) {
      type = ValueType.parse(e.getAttribute("type")).orElseThrow(() -> new Unconvertible(e,
          "type '" + e.getAttribute("type") + "' (expected string, integer, number or version)"));
    } else {
      type = defaultType(op, value);
    }
    String source = e.hasAttribute("value-source") ? e.getAttribute("value-source") : "literal";
    if (!Set.of("literal", "param", "meta").contains(source)) {
      throw new Unconvertible(e, "value-source '" + source + "' (expected literal, param or meta)");
    }
    if (op == Operator.DEFINED || op == Operator.NOT_DEFINED) value = Optional.empty();
    return new AttributeExpression(e.getAttribute("id"), attribute, op, value, type, source);
  }

  /**
   * Pacemaker compares untyped ordering operators numerically when the value is a number
   * (integer unless it has a decimal point), and everything else as strings.
   */
  private static ValueType defaultType(Operator op, Optional<String> value) {
    boolean ordering = op == Operator.LT || op == Operator.GT || op == Operator.LTE || op == Operator.GTE;
    if (ordering && value.isPresent()) {
      String v = value.get().strip();
      if (v.matches("[+-]?\\d+")) return ValueType.INTEGER;
      if (v.matches("[+-]?(\\d+\\.\\d*|\\.\\d+)")) return ValueType.NUMBER;
    }
    return ValueType.STRING;
  }

  private DateExpression dateExpression(Element e) {
    String op = e.getAttribute("operation");
    if (op.isEmpty()) op = "in_range";
    Map<String, String> duration = Map.of();
    Map<String, String> spec = Map.of();
    Optional<Element> durationElement = CibContext.firstChild(e, "duration");
    if (durationElement.isPresent()) duration = fields(durationElement.get(), DURATION_FIELDS);
    Optional<Element> specElement = CibContext.firstChild(e, "date_spec");
    if (specElement.isPresent()) spec = fields(specElement.get(), DATE_SPEC_FIELDS);
    switch (op) {
      case "date_spec" -> {
        if (specElement.isEmpty()) throw new Unconvertible(e, "operation date_spec without a <date_spec>");
      }
      case "in_range" -> {
        if (!e.hasAttribute("start") && !e.hasAttribute("end")) {
          throw new Unconvertible(e, "in_range needs start or end");
        }
      }
      case "gt" -> {
        if (!e.hasAttribute("start")) throw new Unconvertible(e, "operation gt needs start");
      }
      case "lt" -> {
        if (!e.hasAttribute("end")) throw new Unconvertible(e, "operation lt needs end");
      }
      default -> throw new Unconvertible(e, "operation '" + op + "' (expected in_range, gt, lt or date_spec)");
    }
    return new DateExpression(e.getAttribute("id"), op, CibContext.attr(e, "start"), CibContext.attr(e, "end"),
        duration, spec);
  }

  private static Map<String, String> fields(Element e, Set<String> allowed) {
    Map<String, String> out = new LinkedHashMap<>();
    var attributes = e.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      String name = attributes.item(i).getNodeName();
      if (name.equals("id")) continue;
      if (!allowed.contains(name)) {
        throw new Unconvertible(e, "unknown field '" + name + "' (expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
      out.put(name, attributes.item(i).getNodeValue());
    }
    return out;
  }

  /** Thrown inside a rule to abandon the whole rule with a located reason. */
  private static final class Unconvertible extends RuntimeException {
    final String where;

    Unconvertible(Element e, String reason) {
      super(reason, null, false, false);
      this.where = CibContext.where(e);
    }
  }
}
