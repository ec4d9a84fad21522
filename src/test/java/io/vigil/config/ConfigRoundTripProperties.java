package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AgentRef;
import io.vigil.model.AttributeExpression;
import io.vigil.model.Clone;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Colocation;
import io.vigil.model.Constraint;
import io.vigil.model.FencingLevel;
import io.vigil.model.Group;
import io.vigil.model.Location;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.OnFail;
import io.vigil.model.OpDefaults;
import io.vigil.model.Operation;
import io.vigil.model.Order;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.ResourceSet;
import io.vigil.model.Role;
import io.vigil.model.Rule;
import io.vigil.model.Score;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** load → model → YAML → load yields an equal model, over generated valid configurations. */
class ConfigRoundTripProperties {

  @Property(tries = 300)
  void writtenConfigurationReadsBackEqual(@ForAll("configs") ClusterConfig config) {
    String yaml = ConfigWriter.write(config);
    ConfigLoader.Result r = new ConfigLoader(AgentCatalog.NONE).check(yaml, "gen.yaml");
    assertThat(r.errors()).as(yaml).isEmpty();
    assertThat(r.config()).contains(config);
    assertThat(ConfigWriter.write(r.config().orElseThrow())).isEqualTo(yaml);
  }

  @Provide
  Arbitrary<ClusterConfig> configs() {
    return Arbitraries.longs().map(seed -> new Generator(new Random(seed)).config());
  }

  /** Builds a random configuration that is valid by construction (references resolve, no cycles). */
  static final class Generator {
    private final Random rnd;
    private int next;

    Generator(Random rnd) {
      this.rnd = rnd;
    }

    ClusterConfig config() {
      List<Node> nodes = new ArrayList<>();
      int nodeCount = rnd.nextInt(5);
      for (int i = 1; i <= nodeCount; i++) {
        nodes.add(new Node("n" + i, rnd.nextBoolean() ? "n" + i : String.valueOf(i * 7), map(3), rnd.nextBoolean(),
            rnd.nextInt(4) == 0, rnd.nextBoolean() ? Map.of("cpu", rnd.nextInt(16)) : Map.of(), rnd.nextInt(5) == 0));
      }
      List<Resource> resources = new ArrayList<>();
      List<String> topIds = new ArrayList<>();
      List<String> fenceIds = new ArrayList<>();
      int count = rnd.nextInt(7);
      for (int i = 0; i < count; i++) {
        Resource r = switch (rnd.nextInt(4)) {
          case 0 -> new Group(id("g"), List.of(primitive(false), primitive(false)), meta(false));
          case 1 -> new Clone(id("c"), rnd.nextBoolean() ? primitive(false)
              : new Group(id("g"), List.of(primitive(false)), Meta.EMPTY), meta(true));
          default -> primitive(false);
        };
        resources.add(r);
        topIds.add(r.id());
      }
      if (!nodes.isEmpty() && rnd.nextBoolean()) {
        Primitive f = primitive(true);
        resources.add(f);
        fenceIds.add(f.id());
      }
      List<Constraint> constraints = constraints(topIds, nodes);
      List<FencingLevel> levels = new ArrayList<>();
      if (!fenceIds.isEmpty()) levels.add(new FencingLevel(nodes.getFirst().name(), false, 1 + rnd.nextInt(9), fenceIds));
      Map<String, String> props = new LinkedHashMap<>();
      props.put("fencing-enabled", String.valueOf(rnd.nextBoolean()));
      if (rnd.nextBoolean()) props.put("no-quorum-policy", List.of("stop", "freeze", "ignore").get(rnd.nextInt(3)));
      if (rnd.nextBoolean()) props.put("cluster-recheck-interval", rnd.nextInt(100) + "s");
      return new ClusterConfig("gen-" + rnd.nextInt(100), nodes, resources, constraints,
          new ClusterProperties(props), meta(false),
          new OpDefaults(rnd.nextBoolean() ? Map.of("timeout", rnd.nextInt(90) + "s") : Map.of()), levels);
    }

    private List<Constraint> constraints(List<String> ids, List<Node> nodes) {
      List<Constraint> out = new ArrayList<>();
      if (ids.size() < 2) return out;
      for (int i = 0; i < rnd.nextInt(6); i++) {
        int a = rnd.nextInt(ids.size() - 1);
        int b = a + 1 + rnd.nextInt(ids.size() - a - 1);
        switch (rnd.nextInt(5)) {
          case 0 -> {
            if (!nodes.isEmpty()) out.add(Location.of(id("loc"), ids.get(a), nodes.get(rnd.nextInt(nodes.size())).name(), score()));
          }
          case 1 -> out.add(new Location(id("loc"), Optional.of(ids.get(b)), Optional.empty(), Optional.empty(),
              Optional.empty(), List.of(rule(2)), Optional.empty(), rnd.nextBoolean() ? "always" : "exclusive"));
          case 2 -> out.add(new Colocation(id("col"), score(), Optional.of(ids.get(a)), Optional.empty(),
              Optional.of(ids.get(b)), Optional.empty(), Optional.empty(), rnd.nextBoolean() ? Optional.of(false) : Optional.empty(), List.of()));
          case 3 -> out.add(new Order(id("ord"), Order.Kind.values()[rnd.nextInt(3)], Optional.of(ids.get(a)),
              Optional.of(Order.Action.START), Optional.of(ids.get(b)), Optional.empty(),
              rnd.nextBoolean() ? Optional.of(true) : Optional.empty(), List.of()));
          default -> {
            String oid = id("ord");
            out.add(new Order(oid, Order.Kind.MANDATORY, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(
                    new ResourceSet(rnd.nextBoolean() ? oid + "-set-1" : id("s"), List.of(ids.get(a)), true, true, Optional.empty(), Optional.empty()),
                    new ResourceSet(id("s"), List.of(ids.get(b)), rnd.nextBoolean(), true, Optional.empty(), Optional.of(Order.Action.START)))));
          }
        }
      }
      return out;
    }

    private Rule rule(int depth) {
      String rid = id("rule");
      List<io.vigil.model.Expression> exprs = new ArrayList<>();
      exprs.add(new AttributeExpression(id("e"), rnd.nextBoolean() ? "#uname" : "site", AttributeExpression.Operator.EQ,
          Optional.of(text()), AttributeExpression.ValueType.STRING, "literal"));
      if (rnd.nextBoolean()) {
        exprs.add(new AttributeExpression(id("e"), "load", AttributeExpression.Operator.DEFINED, Optional.empty(),
            AttributeExpression.ValueType.INTEGER, "literal"));
      }
      if (depth > 0 && rnd.nextInt(3) == 0) exprs.add(rule(depth - 1));
      return new Rule(rid, Optional.of(score()), Optional.empty(), Optional.empty(),
          rnd.nextBoolean() ? Rule.BooleanOp.AND : Rule.BooleanOp.OR, exprs);
    }

    private Primitive primitive(boolean fence) {
      AgentRef agent = fence ? AgentRef.parse("stonith:fence_dummy")
          : AgentRef.parse(List.of("ocf:heartbeat:Dummy", "lsb:postfix", "systemd:nginx@x", "builtin:ip").get(rnd.nextInt(4)));
      List<Operation> ops = new ArrayList<>();
      if (rnd.nextBoolean()) ops.add(Operation.of("start", Duration.ZERO, Duration.ofSeconds(rnd.nextInt(100))));
      if (rnd.nextBoolean()) {
        ops.add(new Operation("monitor", Duration.ofMillis(1 + rnd.nextInt(100_000)), Optional.empty(), Optional.empty(),
            Optional.of(OnFail.values()[rnd.nextInt(6)]), Optional.of(Duration.ofSeconds(rnd.nextInt(5))), rnd.nextBoolean(),
            rnd.nextBoolean() ? Map.of("OCF_CHECK_LEVEL", "10") : Map.of()));
      }
      return new Primitive(id("p"), agent, map(3), fence && rnd.nextBoolean() ? Map.of("password", "/etc/vigil/pw") : Map.of(),
          meta(false), ops, rnd.nextBoolean() ? Map.of("mem", rnd.nextInt(1000)) : Map.of());
    }

    private Meta meta(boolean clone) {
      Map<String, String> m = new LinkedHashMap<>();
      if (rnd.nextBoolean()) m.put("resource-stickiness", score().toString());
      if (rnd.nextBoolean()) m.put("target-role", rnd.nextBoolean() ? "Stopped" : "started");
      if (rnd.nextBoolean()) m.put("migration-threshold", String.valueOf(rnd.nextInt(5)));
      if (rnd.nextBoolean()) m.put("failure-timeout", rnd.nextInt(600) + "s");
      if (rnd.nextBoolean()) m.put("is-managed", rnd.nextBoolean() ? "yes" : "false");
      if (rnd.nextBoolean()) m.put("priority", String.valueOf(rnd.nextInt(20) - 10));
      if (clone && rnd.nextBoolean()) m.put("clone-max", String.valueOf(1 + rnd.nextInt(4)));
      if (clone && rnd.nextBoolean()) m.put("interleave", "true");
      return Meta.of(m);
    }

    private Score score() {
      return switch (rnd.nextInt(4)) {
        case 0 -> Score.INFINITY;
        case 1 -> Score.MINUS_INFINITY;
        default -> Score.of(rnd.nextInt(2001) - 1000);
      };
    }

    private Map<String, String> map(int max) {
      Map<String, String> m = new LinkedHashMap<>();
      int n = rnd.nextInt(max + 1);
      for (int i = 0; i < n; i++) m.put("k" + rnd.nextInt(50) + (rnd.nextBoolean() ? "_x" : "-y"), text());
      return m;
    }

    private static final String[] SPECIAL = {"yes", "no", "null", "~", "", "10", "-INFINITY", "#uname", "a: b", "- x",
        "[x]", "{y}", "'q'", "\"dq\"", " lead", "trail ", "multi\nline", "tab\there", "ünï€ode", "&anchor", "*alias", "!tag", "%pct", "@at", "0x1F", "1e3", "true"};

    private String text() {
      if (rnd.nextBoolean()) return SPECIAL[rnd.nextInt(SPECIAL.length)];
      StringBuilder sb = new StringBuilder();
      int len = rnd.nextInt(12);
      for (int i = 0; i < len; i++) sb.append((char) (0x20 + rnd.nextInt(0x5f)));
      return sb.toString();
    }

    private String id(String prefix) {
      return prefix + (++next);
    }
  }
}
