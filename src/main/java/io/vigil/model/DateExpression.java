package io.vigil.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A condition on the current time: {@code in_range} (start/end or start plus duration),
 * {@code gt}, {@code lt}, or {@code date_spec} (cron-like fields such as hours=9-17 weekdays=1-5).
 * Dates are ISO 8601 text as in Pacemaker; the scheduler evaluates them against "now".
 *
 * @param duration for in_range: ISO 8601 duration or Pacemaker's duration fields (years=1)
 * @param dateSpec for date_spec: field name to range text
 */
public record DateExpression(
    String id,
    String operation,
    Optional<String> start,
    Optional<String> end,
    Map<String, String> duration,
    Map<String, String> dateSpec) implements Expression {

  public DateExpression {
    Ids.require(id, "date expression");
    if (!java.util.Set.of("in_range", "gt", "lt", "date_spec").contains(operation)) {
      throw new IllegalArgumentException("date expression '" + id + "': operation '" + operation
          + "' (expected in_range, gt, lt or date_spec)");
    }
    Objects.requireNonNull(start);
    Objects.requireNonNull(end);
    duration = Maps.copy(duration);
    dateSpec = Maps.copy(dateSpec);
  }
}
