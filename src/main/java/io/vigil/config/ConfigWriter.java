package io.vigil.config;

import io.vigil.model.AttributeExpression;
import io.vigil.model.Clone;
import io.vigil.model.ClusterConfig;
import io.vigil.model.Colocation;
import io.vigil.model.Constraint;
import io.vigil.model.DateExpression;
import io.vigil.model.Durations;
import io.vigil.model.Expression;
import io.vigil.model.FencingLevel;
import io.vigil.model.Group;
import io.vigil.model.Location;
import io.vigil.model.Node;
import io.vigil.model.Operation;
import io.vigil.model.Order;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.ResourceSet;
import io.vigil.model.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes a model as {@code cluster.yaml}, deterministically: same model, same bytes. Reading the
 * output back yields an equal model. Values are written as text so nothing is re-typed by YAML.
 */
public final class ConfigWriter {
  private ConfigWriter() {}

  public static String write(ClusterConfig c) {
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("cluster", c.name());
    putIfNotEmpty(top, "properties", new LinkedHashMap<>(c.properties().values()));
    putIfNotEmpty(top, "resource-defaults", new LinkedHashMap<>(c.resourceDefaults().values()));
    putIfNotEmpty(top, "operation-defaults", new LinkedHashMap<>(c.operationDefaults().values()));
    putIfNotEmpty(top, "nodes", c.nodes().stream().map(ConfigWriter::node).toList());
    putIfNotEmpty(top, "resources", c.resources().stream().map(ConfigWriter::resource).toList());
    putIfNotEmpty(top, "constraints", c.constraints().stream().map(ConfigWriter::constraint).toList());
    if (!c.fencingLevels().isEmpty()) {
      top.put("fencing", Map.of("levels", c.fencingLevels().stream().map(ConfigWriter::level).toList()));
    }
    DumpSettings settings = DumpSettings.builder()
        .setDefaultFlowStyle(FlowStyle.BLOCK)
        .setIndent(2)
        .setIndicatorIndent(2)
        .setIndentWithIndicator(true)
        .setWidth(120)
        // Every value is text to Vigil's reader, so "false" or "100" need no quotes.
        .setSchema(new org.snakeyaml.engine.v2.schema.FailsafeSchema())
        .build();
    return new Dump(settings).dumpToString(top);
  }

  private static Map<String, Object> node(Node n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", n.name());
    if (!n.id().equals(n.name())) m.put("id", n.id());
    putIfNotEmpty(m, "attributes", new LinkedHashMap<>(n.attributes()));
    putIfNotEmpty(m, "utilization", texts(n.utilization()));
    if (n.standby()) m.put("standby", "true");
    if (n.maintenance()) m.put("maintenance", "true");
    if (n.witness()) m.put("witness", "true");
    return m;
  }

  private static Map<String, Object> resource(Resource r) {
    return switch (r) {
      case Primitive p -> primitive(p);
      case Group g -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", g.id());
        putIfNotEmpty(m, "meta", new LinkedHashMap<>(g.meta().values()));
        m.put("members", g.members().stream().map(ConfigWriter::primitive).toList());
        yield m;
      }
      case Clone cl -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clone", cl.id());
        putIfNotEmpty(m, "meta", new LinkedHashMap<>(cl.meta().values()));
        m.put("resource", resource(cl.child()));
        yield m;
      }
    };
  }

  private static Map<String, Object> primitive(Primitive p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("primitive", p.id());
    m.put("agent", p.agent().toString());
    putIfNotEmpty(m, "params", new LinkedHashMap<>(p.params()));
    putIfNotEmpty(m, "secret-params", new LinkedHashMap<>(p.secretParams()));
    putIfNotEmpty(m, "meta", new LinkedHashMap<>(p.meta().values()));
    putIfNotEmpty(m, "utilization", texts(p.utilization()));
    putIfNotEmpty(m, "operations", p.operations().stream().map(ConfigWriter::operation).toList());
    return m;
  }

  private static Map<String, Object> operation(Operation op) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", op.name());
    if (!op.interval().isZero()) m.put("interval", Durations.format(op.interval()));
    op.timeout().ifPresent(t -> m.put("timeout", Durations.format(t)));
    op.role().ifPresent(r -> m.put("role", r.label()));
    op.onFail().ifPresent(f -> m.put("on-fail", f.label()));
    op.startDelay().ifPresent(d -> m.put("start-delay", Durations.format(d)));
    if (!op.enabled()) m.put("enabled", "false");
    putIfNotEmpty(m, "attributes", new LinkedHashMap<>(op.extra()));
    return m;
  }

  private static Map<String, Object> constraint(Constraint c) {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (c) {
      case Location l -> {
        m.put("location", l.id());
        l.resource().ifPresent(v -> m.put("resource", v));
        l.resourcePattern().ifPresent(v -> m.put("resource-pattern", v));
        l.node().ifPresent(v -> m.put("node", v));
        l.score().ifPresent(v -> m.put("score", v.toString()));
        l.role().ifPresent(v -> m.put("role", v.label()));
        if (!l.resourceDiscovery().equals("always")) m.put("resource-discovery", l.resourceDiscovery());
        putIfNotEmpty(m, "rules", rules(l.rules(), l.id()));
      }
      case Colocation co -> {
        m.put("colocation", co.id());
        co.resource().ifPresent(v -> m.put("resource", v));
        co.role().ifPresent(v -> m.put("role", v.label()));
        co.with().ifPresent(v -> m.put("with", v));
        co.withRole().ifPresent(v -> m.put("with-role", v.label()));
        m.put("score", co.score().toString());
        co.nodeAttribute().ifPresent(v -> m.put("node-attribute", v));
        co.influence().ifPresent(v -> m.put("influence", v.toString()));
        putIfNotEmpty(m, "sets", sets(co.sets(), co.id()));
      }
      case Order o -> {
        m.put("order", o.id());
        o.first().ifPresent(v -> m.put("first", v));
        o.firstAction().ifPresent(v -> m.put("first-action", v.label()));
        o.then().ifPresent(v -> m.put("then", v));
        o.thenAction().ifPresent(v -> m.put("then-action", v.label()));
        if (o.kind() != Order.Kind.MANDATORY) m.put("kind", o.kind().label());
        o.symmetrical().ifPresent(v -> m.put("symmetrical", v.toString()));
        putIfNotEmpty(m, "sets", sets(o.sets(), o.id()));
      }
    }
    return m;
  }

  private static List<Object> rules(List<Rule> rules, String parentId) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) out.add(rule(rules.get(i), RuleReader.derivedId(parentId, "rule", i)));
    return out;
  }

  private static Map<String, Object> rule(Rule r, String derived) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!r.id().equals(derived)) m.put("rule", r.id());
    r.score().ifPresent(s -> m.put("score", s.toString()));
    r.scoreAttribute().ifPresent(s -> m.put("score-attribute", s));
    r.role().ifPresent(s -> m.put("role", s.label()));
    if (r.booleanOp() != Rule.BooleanOp.AND) m.put("boolean-op", r.booleanOp().label());
    List<Object> exprs = new ArrayList<>();
    for (int i = 0; i < r.expressions().size(); i++) {
      Expression e = r.expressions().get(i);
      exprs.add(switch (e) {
        case Rule nested -> rule(nested, RuleReader.derivedId(r.id(), "rule", i));
        case AttributeExpression a -> attribute(a, RuleReader.derivedId(r.id(), "expr", i));
        case DateExpression d -> date(d, RuleReader.derivedId(r.id(), "expr", i));
      });
    }
    m.put("expressions", exprs);
    return m;
  }

  private static Map<String, Object> attribute(AttributeExpression a, String derived) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!a.id().equals(derived)) m.put("id", a.id());
    m.put("attribute", a.attribute());
    m.put("operation", a.operation().label());
    a.value().ifPresent(v -> m.put("value", v));
    if (a.type() != AttributeExpression.ValueType.STRING) m.put("type", a.type().label());
    if (!a.valueSource().equals("literal")) m.put("value-source", a.valueSource());
    return m;
  }

  private static Map<String, Object> date(DateExpression d, String derived) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!d.id().equals(derived)) m.put("id", d.id());
    m.put("date", d.operation());
    d.start().ifPresent(v -> m.put("start", v));
    d.end().ifPresent(v -> m.put("end", v));
    putIfNotEmpty(m, "duration", new LinkedHashMap<>(d.duration()));
    putIfNotEmpty(m, "date-spec", new LinkedHashMap<>(d.dateSpec()));
    return m;
  }

  private static List<Object> sets(List<ResourceSet> sets, String ownerId) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      ResourceSet s = sets.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      if (!s.id().equals(RuleReader.derivedId(ownerId, "set", i))) m.put("set", s.id());
      m.put("resources", s.resources());
      if (!s.sequential()) m.put("sequential", "false");
      if (!s.requireAll()) m.put("require-all", "false");
      s.role().ifPresent(v -> m.put("role", v.label()));
      s.action().ifPresent(v -> m.put("action", v.label()));
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> level(FencingLevel l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(l.targetIsPattern() ? "node-pattern" : "node", l.target());
    m.put("index", String.valueOf(l.index()));
    m.put("devices", l.devices());
    return m;
  }

  private static Map<String, Object> texts(Map<String, Integer> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  private static void putIfNotEmpty(Map<String, Object> m, String key, Object value) {
    boolean empty = value instanceof Map<?, ?> mm ? mm.isEmpty() : value instanceof List<?> l && l.isEmpty();
    if (!empty) m.put(key, value);
  }
}
