package io.vigil.config;

import io.vigil.model.AttributeExpression;
import io.vigil.model.DateExpression;
import io.vigil.model.Expression;
import io.vigil.model.Ids;
import io.vigil.model.Role;
import io.vigil.model.Rule;
import io.vigil.model.Score;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads rules and their expressions. Ids are optional in YAML; a missing one is derived from the
 * parent's ({@code loc-1-rule-1-expr-2}), so writing and reading back yields the same model.
 */
final class RuleReader {
  private final ReadContext ctx;

  RuleReader(ReadContext ctx) {
    this.ctx = ctx;
  }

  /** The id a rule or expression gets when none is written. */
  static String derivedId(String parentId, String kind, int index) {
    return parentId + "-" + kind + "-" + (index + 1);
  }

  List<Rule> readRules(List<Node> nodes, String parentId, String owner) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) readRule(nodes.get(i), derivedId(parentId, "rule", i), owner).ifPresent(rules::add);
    return rules;
  }

  private Optional<Rule> readRule(Node node, String defaultId, String owner) {
    Optional<Fields> of = Fields.of(ctx, node, owner + ": rule", Schema.RULE);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    String id = f.parsed("rule", s -> Ids.require(s, "rule")).orElse(defaultId);
    Optional<Score> score = f.parsed("score", Score::parse);
    Optional<String> scoreAttribute = f.text("score-attribute");
    Optional<Role> role = f.choice("role", Role::parse, "one of Stopped, Started, Unpromoted, Promoted");
    Rule.BooleanOp op = f.choice("boolean-op", s -> switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "and" -> Optional.of(Rule.BooleanOp.AND);
      case "or" -> Optional.of(Rule.BooleanOp.OR);
      default -> Optional.<Rule.BooleanOp>empty();
    }, "and or or").orElse(Rule.BooleanOp.AND);
    if (score.isPresent() && scoreAttribute.isPresent()) {
      ctx.error(f.pos("score-attribute"), f.what() + " '" + id + "' has both 'score' and 'score-attribute' (expected one)");
      return Optional.empty();
    }
    List<Node> exprNodes = f.list("expressions");
    if (exprNodes.isEmpty()) {
      ctx.error(f.pos(), f.what() + " '" + id + "' has no expressions (expected e.g. expressions: [{attribute: \"#uname\", operation: eq, value: node1}])");
      return Optional.empty();
    }
    List<Expression> exprs = new ArrayList<>();
    for (int i = 0; i < exprNodes.size(); i++) {
      Node e = exprNodes.get(i);
      Optional<String> kind = Yaml.kindKey(e, "rule", "date", "attribute");
      if (kind.isEmpty()) {
        ctx.error(SourcePos.of(ctx.file, e), f.what() + " '" + id
            + "': an expression needs 'attribute:', 'date:' or a nested 'rule:', found " + Fields.shape(e));
        continue;
      }
      Optional<? extends Expression> ex = switch (kind.get()) {
        case "rule" -> readRule(e, derivedId(id, "rule", i), f.what() + " '" + id + "'");
        case "date" -> readDate(e, derivedId(id, "expr", i), id);
        default -> readAttribute(e, derivedId(id, "expr", i), id);
      };
      ex.ifPresent(exprs::add);
    }
    if (exprs.size() != exprNodes.size()) return Optional.empty();
    return Optional.of(new Rule(id, score, scoreAttribute, role, op, exprs));
  }

  private Optional<AttributeExpression> readAttribute(Node node, String defaultId, String ruleId) {
    Optional<Fields> of = Fields.of(ctx, node, "rule '" + ruleId + "': expression", Schema.ATTRIBUTE_EXPRESSION);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    String id = f.parsed("id", s -> Ids.require(s, "expression")).orElse(defaultId);
    Optional<String> attribute = f.requiredText("attribute", "\"#uname\"");
    Optional<AttributeExpression.Operator> op = f.has("operation")
        ? f.choice("operation", AttributeExpression.Operator::parse, "one of lt, gt, lte, gte, eq, ne, defined, not_defined")
        : missing(f, "operation", "eq");
    Optional<String> value = f.text("value");
    AttributeExpression.ValueType type = f.choice("type", AttributeExpression.ValueType::parse,
        "one of string, integer, number, version").orElse(AttributeExpression.ValueType.STRING);
    String source = f.choice("value-source", s -> java.util.Set.of("literal", "param", "meta").contains(s)
        ? Optional.of(s) : Optional.<String>empty(), "one of literal, param, meta").orElse("literal");
    if (attribute.isEmpty() || op.isEmpty()) return Optional.empty();
    boolean needsValue = op.get() != AttributeExpression.Operator.DEFINED && op.get() != AttributeExpression.Operator.NOT_DEFINED;
    if (needsValue && value.isEmpty()) {
      ctx.error(f.pos(), f.what() + ": operation '" + op.get().label() + "' needs a 'value'");
      return Optional.empty();
    }
    return Optional.of(new AttributeExpression(id, attribute.get(), op.get(), needsValue ? value : Optional.empty(), type, source));
  }

  private Optional<DateExpression> readDate(Node node, String defaultId, String ruleId) {
    Optional<Fields> of = Fields.of(ctx, node, "rule '" + ruleId + "': date expression", Schema.DATE_EXPRESSION);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    String id = f.parsed("id", s -> Ids.require(s, "expression")).orElse(defaultId);
    Optional<String> op = f.choice("date", s -> java.util.Set.of("in_range", "gt", "lt", "date_spec").contains(s)
        ? Optional.of(s) : Optional.<String>empty(), "one of in_range, gt, lt, date_spec");
    Map<String, String> duration = new LinkedHashMap<>();
    f.textMap("duration").forEach((k, v) -> duration.put(k, v.value()));
    Map<String, String> spec = new LinkedHashMap<>();
    f.textMap("date-spec").forEach((k, v) -> spec.put(k, v.value()));
    if (op.isEmpty()) return Optional.empty();
    return Optional.of(new DateExpression(id, op.get(), f.text("start"), f.text("end"), duration, spec));
  }

  private <T> Optional<T> missing(Fields f, String key, String example) {
    ctx.error(f.pos(), f.what() + " has no '" + key + "' (expected e.g. " + key + ": " + example + ")");
    return Optional.empty();
  }
}
