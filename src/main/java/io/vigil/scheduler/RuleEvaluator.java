package io.vigil.scheduler;

import io.vigil.model.AttributeExpression;
import io.vigil.model.DateExpression;
import io.vigil.model.Expression;
import io.vigil.model.Rule;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Evaluates location rules against a node's attributes and the run's "now"; records in the
 * context when a date expression's result next changes (the scheduler's recheck time), invalid
 * date values and deprecation warnings.
 */
final class RuleEvaluator {
  private final List<String> unsupported;
  private final List<String> warnings;
  private final Instant now;
  /** Date results do not depend on the node: one evaluation per expression and run. */
  private final Map<DateExpression, Boolean> dates = new HashMap<>();
  private final Consumer<Instant> recheckBy;

  /**
   * @param recheckBy told, for every date expression evaluated, when its result may next change
   */
  RuleEvaluator(List<String> unsupported, List<String> warnings, Instant now, Consumer<Instant> recheckBy) {
    this.unsupported = unsupported;
    this.warnings = warnings;
    this.now = now;
    this.recheckBy = recheckBy;
  }

  boolean matches(Rule rule, Map<String, String> attrs) {
    if (rule.expressions().isEmpty()) return true;
    boolean and = rule.booleanOp() == Rule.BooleanOp.AND;
    for (Expression e : rule.expressions()) {
      boolean m = eval(e, attrs);
      if (and && !m) return false;
      if (!and && m) return true;
    }
    return and;
  }

  private boolean eval(Expression e, Map<String, String> attrs) {
    return switch (e) {
      case Rule r -> matches(r, attrs);
      case AttributeExpression a -> attribute(a, attrs);
      case DateExpression d -> dates.computeIfAbsent(d, this::date);
    };
  }

  private boolean date(DateExpression d) {
    DateRules.Outcome o = DateRules.evaluate(d, now);
    o.problems().forEach(this::note);
    o.warnings().forEach(w -> {
      if (!warnings.contains(w)) warnings.add(w);
    });
    o.nextChange().ifPresent(recheckBy);
    return o.matches();
  }

  private void note(String s) {
    if (!unsupported.contains(s)) unsupported.add(s);
  }

  private boolean attribute(AttributeExpression a, Map<String, String> attrs) {
    if (!a.valueSource().equals("literal")) {
      note("unsupported: value-source=" + a.valueSource() + " in expression '" + a.id() + "'");
      return false;
    }
    String actual = attrs.get(a.attribute());
    return switch (a.operation()) {
      case DEFINED -> actual != null;
      case NOT_DEFINED -> actual == null;
      default -> {
        if (actual == null) yield a.operation() == AttributeExpression.Operator.NE;
        int c = compare(actual, a.value().orElse(""), a.type());
        yield switch (a.operation()) {
          case EQ -> c == 0;
          case NE -> c != 0;
          case LT -> c < 0;
          case LTE -> c <= 0;
          case GT -> c > 0;
          case GTE -> c >= 0;
          default -> false;
        };
      }
    };
  }

  private static int compare(String x, String y, AttributeExpression.ValueType type) {
    try {
      return switch (type) {
        case INTEGER -> Long.compare(integer(x), integer(y));
        case NUMBER -> Double.compare(Double.parseDouble(x.strip()), Double.parseDouble(y.strip()));
        case VERSION -> compareVersion(x, y);
        case STRING -> x.compareToIgnoreCase(y);
      };
    } catch (NumberFormatException e) {
      return x.compareToIgnoreCase(y);
    }
  }

  /** Pacemaker reads integers like strtoll: "3.6" is 3. */
  private static long integer(String s) {
    String t = s.strip();
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return (long) Double.parseDouble(t);
    }
  }

  private static int compareVersion(String x, String y) {
    String[] a = x.split("\\.");
    String[] b = y.split("\\.");
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      long p = i < a.length ? parse(a[i]) : 0;
      long q = i < b.length ? parse(b[i]) : 0;
      if (p != q) return Long.compare(p, q);
    }
    return 0;
  }

  private static long parse(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
