package io.vigil.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key {@code cluster.yaml} accepts, per section, in documentation order. The reader allows
 * exactly these, the writer writes only these, and a test checks docs/configuration.md names
 * every one.
 */
public final class Schema {
  static final List<String> TOP = List.of("cluster", "properties", "resource-defaults",
      "operation-defaults", "nodes", "resources", "constraints", "fencing");
  static final List<String> NODE = List.of("name", "id", "attributes", "utilization", "standby", "maintenance", "witness");
  static final List<String> PRIMITIVE = List.of("primitive", "agent", "params", "secret-params", "meta",
      "utilization", "operations");
  static final List<String> OPERATION = List.of("name", "interval", "timeout", "role", "on-fail",
      "start-delay", "enabled", "attributes");
  static final List<String> GROUP = List.of("group", "meta", "members");
  static final List<String> CLONE = List.of("clone", "meta", "resource");
  static final List<String> LOCATION = List.of("location", "resource", "resource-pattern", "node", "score",
      "role", "resource-discovery", "rules");
  static final List<String> RULE = List.of("rule", "score", "score-attribute", "role", "boolean-op", "expressions");
  static final List<String> ATTRIBUTE_EXPRESSION = List.of("id", "attribute", "operation", "value", "type",
      "value-source");
  static final List<String> DATE_EXPRESSION = List.of("id", "date", "start", "end", "duration", "date-spec");
  static final List<String> COLOCATION = List.of("colocation", "resource", "role", "with", "with-role", "score",
      "node-attribute", "influence", "sets");
  static final List<String> ORDER = List.of("order", "first", "first-action", "then", "then-action", "kind",
      "symmetrical", "sets");
  static final List<String> SET = List.of("set", "resources", "sequential", "require-all", "role", "action");
  static final List<String> FENCING = List.of("levels");
  static final List<String> FENCING_LEVEL = List.of("node", "node-pattern", "index", "devices");

  /** Sections and their keys, for documentation checks and {@code vigil config keys}. */
  public static Map<String, List<String>> sections() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("top level", TOP);
    m.put("nodes[]", NODE);
    m.put("resources[] primitive", PRIMITIVE);
    m.put("operations[]", OPERATION);
    m.put("resources[] group", GROUP);
    m.put("resources[] clone", CLONE);
    m.put("constraints[] location", LOCATION);
    m.put("rules[]", RULE);
    m.put("expressions[] attribute", ATTRIBUTE_EXPRESSION);
    m.put("expressions[] date", DATE_EXPRESSION);
    m.put("constraints[] colocation", COLOCATION);
    m.put("constraints[] order", ORDER);
    m.put("sets[]", SET);
    m.put("fencing", FENCING);
    m.put("fencing.levels[]", FENCING_LEVEL);
    return m;
  }

  private Schema() {}
}
