package io.vigil.config;

import io.vigil.model.AttributeKey;
import io.vigil.model.ClusterProperties;
import io.vigil.model.KeyRegistry;
import io.vigil.model.Meta;
import io.vigil.model.OpDefaults;
import java.util.List;
import java.util.Map;

/**
 * The reference of every {@code cluster.yaml} key, generated from the code itself
 * ({@link Schema} and the attribute registries). docs/configuration.md embeds this text and a
 * test keeps the two identical; {@code vigil config keys} prints it.
 */
public final class ConfigReference {
  private static final Map<String, String> DOCS = Map.ofEntries(
      Map.entry("top level.cluster", "Name of the cluster (required)."),
      Map.entry("top level.properties", "Cluster properties (table below)."),
      Map.entry("top level.resource-defaults", "Meta attributes every resource inherits (table below)."),
      Map.entry("top level.operation-defaults", "Attributes every operation inherits (table below)."),
      Map.entry("top level.nodes", "The cluster's nodes."),
      Map.entry("top level.resources", "Primitives, groups and clones, in placement order."),
      Map.entry("top level.constraints", "Location, colocation and order constraints."),
      Map.entry("top level.fencing", "Fencing topology."),
      Map.entry("nodes[].name", "Host name (required); `#uname` in rules."),
      Map.entry("nodes[].id", "Node id, `#id` in rules (default: the name)."),
      Map.entry("nodes[].attributes", "Permanent node attributes for rules (names may not start with `#`)."),
      Map.entry("nodes[].utilization", "Capacity offered to resources, name: non-negative integer."),
      Map.entry("nodes[].standby", "true: the node runs no resources."),
      Map.entry("nodes[].maintenance", "true: resources on the node are left alone and not monitored."),
      Map.entry("nodes[].witness", "true: a voter that runs no resources (the third vote of a two-node cluster); "
          + "needs no fence device, and is not fenced when lost while it has run nothing."),
      Map.entry("resources[] primitive.primitive", "Resource id (required)."),
      Map.entry("resources[] primitive.agent", "class:provider:type or class:type, e.g. ocf:heartbeat:IPaddr2 (required)."),
      Map.entry("resources[] primitive.params", "Agent parameters (OCF_RESKEY_name)."),
      Map.entry("resources[] primitive.secret-params", "Parameters read from files at run time: name: /absolute/path."),
      Map.entry("resources[] primitive.meta", "Meta attributes (table below)."),
      Map.entry("resources[] primitive.utilization", "Capacity consumed on the node, name: non-negative integer."),
      Map.entry("resources[] primitive.operations", "Operations: start, stop, monitor, promote, demote, notify, migrate_to/from."),
      Map.entry("operations[].name", "Action name (required)."),
      Map.entry("operations[].interval", "Recurrence for monitor; 0 (default) for one-shot actions."),
      Map.entry("operations[].timeout", "Timeout (default: agent meta-data, then operation-defaults, then 20s)."),
      Map.entry("operations[].role", "Role the operation applies to (Promoted/Unpromoted monitors)."),
      Map.entry("operations[].on-fail", "ignore, block, stop, restart, standby, fence or demote."),
      Map.entry("operations[].start-delay", "Wait before the first run of a recurring operation."),
      Map.entry("operations[].enabled", "false disables the operation."),
      Map.entry("operations[].attributes", "Extra operation attributes, e.g. OCF_CHECK_LEVEL."),
      Map.entry("resources[] group.group", "Group id (required)."),
      Map.entry("resources[] group.meta", "Meta attributes inherited by the members."),
      Map.entry("resources[] group.members", "Primitives, started in order and stopped in reverse (required)."),
      Map.entry("resources[] clone.clone", "Clone id (required)."),
      Map.entry("resources[] clone.meta", "Meta attributes incl. clone options (clone-max, promotable, ...)."),
      Map.entry("resources[] clone.resource", "The primitive or group to clone (required)."),
      Map.entry("constraints[] location.location", "Constraint id (required)."),
      Map.entry("constraints[] location.resource", "Resource id (or resource-pattern)."),
      Map.entry("constraints[] location.resource-pattern", "Regular expression over resource ids."),
      Map.entry("constraints[] location.node", "Node for a simple score constraint."),
      Map.entry("constraints[] location.score", "Score for that node: integer, INFINITY or -INFINITY."),
      Map.entry("constraints[] location.role", "Only for instances in this role."),
      Map.entry("constraints[] location.resource-discovery", "always (default), never or exclusive."),
      Map.entry("constraints[] location.rules", "Rules instead of node/score."),
      Map.entry("rules[].rule", "Rule id (default: derived from the parent's)."),
      Map.entry("rules[].score", "Score given to nodes where the rule matches."),
      Map.entry("rules[].score-attribute", "Node attribute whose value is the score."),
      Map.entry("rules[].role", "Only for instances in this role."),
      Map.entry("rules[].boolean-op", "and (default) or or."),
      Map.entry("rules[].expressions", "Attribute expressions, date expressions or nested rules (required)."),
      Map.entry("expressions[] attribute.id", "Expression id (default: derived)."),
      Map.entry("expressions[] attribute.attribute", "Node attribute, or #uname, #id, #kind."),
      Map.entry("expressions[] attribute.operation", "lt, gt, lte, gte, eq, ne, defined, not_defined."),
      Map.entry("expressions[] attribute.value", "Value to compare with (not for defined/not_defined)."),
      Map.entry("expressions[] attribute.type", "string (default), integer, number or version."),
      Map.entry("expressions[] attribute.value-source", "literal (default), param or meta."),
      Map.entry("expressions[] date.id", "Expression id (default: derived)."),
      Map.entry("expressions[] date.date", "in_range, gt, lt or date_spec."),
      Map.entry("expressions[] date.start", "ISO 8601 start."),
      Map.entry("expressions[] date.end", "ISO 8601 end."),
      Map.entry("expressions[] date.duration", "For in_range without end: years, months, weeks, days, hours, minutes, seconds."),
      Map.entry("expressions[] date.date-spec", "Cron-like fields: hours, monthdays, weekdays, yeardays, months, weeks, years."),
      Map.entry("constraints[] colocation.colocation", "Constraint id (required)."),
      Map.entry("constraints[] colocation.resource", "The dependent resource, placed relative to `with`."),
      Map.entry("constraints[] colocation.role", "Role of the dependent resource."),
      Map.entry("constraints[] colocation.with", "The resource placed first."),
      Map.entry("constraints[] colocation.with-role", "Role of `with`."),
      Map.entry("constraints[] colocation.score", "Positive: together; negative: apart; ±INFINITY: mandatory (required)."),
      Map.entry("constraints[] colocation.node-attribute", "Colocate on nodes with the same value of this attribute."),
      Map.entry("constraints[] colocation.influence", "Whether `resource`'s preferences influence `with`."),
      Map.entry("constraints[] colocation.sets", "Resource sets instead of resource/with."),
      Map.entry("constraints[] order.order", "Constraint id (required)."),
      Map.entry("constraints[] order.first", "Resource acted on first."),
      Map.entry("constraints[] order.first-action", "start (default), stop, promote or demote."),
      Map.entry("constraints[] order.then", "Resource acted on after."),
      Map.entry("constraints[] order.then-action", "Default: the first-action."),
      Map.entry("constraints[] order.kind", "Mandatory (default), Optional or Serialize."),
      Map.entry("constraints[] order.symmetrical", "Reverse order for the reverse actions (default true, Serialize false)."),
      Map.entry("constraints[] order.sets", "Resource sets instead of first/then."),
      Map.entry("sets[].set", "Set id (default: derived)."),
      Map.entry("sets[].resources", "Resource ids (required)."),
      Map.entry("sets[].sequential", "Members ordered/colocated among themselves (default true)."),
      Map.entry("sets[].require-all", "Order sets: all members (true) or any one (false) must be done."),
      Map.entry("sets[].role", "Role of the members."),
      Map.entry("sets[].action", "Action of the members (order sets)."),
      Map.entry("fencing.levels", "Fencing levels."),
      Map.entry("fencing.levels[].node", "Node the level fences."),
      Map.entry("fencing.levels[].node-pattern", "Regular expression over node names instead of node."),
      Map.entry("fencing.levels[].index", "1..9, tried in order (required)."),
      Map.entry("fencing.levels[].devices", "Fence devices (stonith primitives); all must succeed (required)."));

  private ConfigReference() {}

  /** The whole reference as Markdown. */
  public static String markdown() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> section : Schema.sections().entrySet()) {
      sb.append("#### `").append(section.getKey()).append("`\n\n| key | meaning |\n|---|---|\n");
      for (String key : section.getValue()) {
        String doc = DOCS.get(section.getKey() + "." + key);
        if (doc == null) throw new IllegalStateException("no documentation for " + section.getKey() + "." + key);
        sb.append("| `").append(key).append("` | ").append(doc).append(" |\n");
      }
      sb.append('\n');
    }
    table(sb, "Cluster properties (`properties:`)", ClusterProperties.KEYS);
    table(sb, "Resource meta attributes (`meta:`, `resource-defaults:`)", Meta.KEYS);
    table(sb, "Operation defaults (`operation-defaults:`)", OpDefaults.KEYS);
    return sb.toString();
  }

  private static void table(StringBuilder sb, String title, KeyRegistry registry) {
    sb.append("#### ").append(title).append("\n\n| key | default | accepts | meaning |\n|---|---|---|---|\n");
    for (AttributeKey<?> k : registry.keys()) {
      sb.append("| `").append(k.name()).append("` | ").append(k.defaultValue().orElse("–")).append(" | ")
          .append(k.expected()).append(" | ").append(k.doc()).append(" |\n");
    }
    if (!registry.aliases().isEmpty()) {
      sb.append("\nAccepted aliases: ");
      sb.append(String.join(", ", new java.util.TreeMap<>(registry.aliases()).entrySet().stream()
          .map(e -> "`" + e.getKey() + "` = `" + e.getValue() + "`").toList()));
      sb.append(".\n");
    }
    sb.append('\n');
  }
}
