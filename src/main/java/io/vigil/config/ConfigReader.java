package io.vigil.config;

import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.FencingLevel;
import io.vigil.model.Ids;
import io.vigil.model.Meta;
import io.vigil.model.Node;
import io.vigil.model.OpDefaults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link ClusterConfig} from the YAML node tree, collecting every structural problem.
 * The model is built only from good parts; when anything was wrong the caller discards it.
 */
final class ConfigReader {
  private final ReadContext ctx;

  ConfigReader(ReadContext ctx) {
    this.ctx = ctx;
  }

  Optional<ClusterConfig> read(org.snakeyaml.engine.v2.nodes.Node root) {
    Optional<Fields> of = Fields.of(ctx, root, "the configuration", Schema.TOP);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    String name = f.requiredText("cluster", "mail-cluster").orElse("cluster");
    if (!Ids.isValid(name)) {
      ctx.error(f.pos("cluster"), "cluster name '" + Fields.abbreviate(name)
          + "' is not valid (expected letters, digits, '_', '-' or '.')");
    }
    ClusterProperties props = new ClusterProperties(
        ResourceReader.attributes(ctx, f, "properties", ClusterProperties.KEYS));
    Meta rscDefaults = Meta.of(ResourceReader.attributes(ctx, f, "resource-defaults", Meta.KEYS));
    OpDefaults opDefaults = new OpDefaults(ResourceReader.attributes(ctx, f, "operation-defaults", OpDefaults.KEYS));
    f.textMap("properties").forEach((k, v) -> ctx.sources.put("property", k, v.keyPos()));
    List<Node> nodes = readNodes(f.list("nodes"));
    var resources = new ResourceReader(ctx).readAll(f.list("resources"));
    var constraints = new ConstraintReader(ctx).readAll(f.list("constraints"));
    List<FencingLevel> levels = f.node("fencing").map(this::readFencing).orElse(List.of());
    ctx.sources.put("section", "fencing", f.pos("fencing"));
    ctx.sources.put("section", "nodes", f.pos("nodes"));
    return Optional.of(new ClusterConfig(name, nodes, resources, constraints, props, rscDefaults, opDefaults, levels));
  }

  private List<Node> readNodes(List<org.snakeyaml.engine.v2.nodes.Node> items) {
    List<Node> out = new ArrayList<>();
    for (var item : items) {
      String label = Yaml.scalar(item, "name").orElse("?");
      Optional<Fields> of = Fields.of(ctx, item, "node '" + label + "'", Schema.NODE);
      if (of.isEmpty()) continue;
      Fields f = of.get();
      Optional<String> name = f.requiredText("name", "node1").flatMap(n -> {
        if (Ids.isValid(n)) return Optional.of(n);
        ctx.error(f.pos("name"), "node name '" + Fields.abbreviate(n)
            + "' is not valid (expected a host name: letters, digits, '_', '-', '.')");
        return Optional.empty();
      });
      Optional<String> id = f.text("id");
      Map<String, String> attrs = new LinkedHashMap<>();
      f.textMap("attributes").forEach((k, v) -> {
        if (k.startsWith("#")) {
          ctx.error(v.keyPos(), f.what() + ": attribute '" + k + "' is built in and cannot be set (names starting with # are reserved)");
        } else {
          attrs.put(k, v.value());
        }
      });
      var utilization = ResourceReader.utilization(ctx, f);
      boolean standby = f.bool("standby").orElse(false);
      boolean maintenance = f.bool("maintenance").orElse(false);
      boolean witness = f.bool("witness").orElse(false);
      if (name.isEmpty()) Yaml.scalar(item, "name").ifPresent(ctx.broken::add);
      name.ifPresent(n -> {
        ctx.sources.put("node", n, f.pos("name"));
        out.add(new Node(n, id.orElse(n), attrs, standby, maintenance, utilization, witness));
      });
    }
    return out;
  }

  private List<FencingLevel> readFencing(org.snakeyaml.engine.v2.nodes.Node node) {
    Optional<Fields> of = Fields.of(ctx, node, "fencing", Schema.FENCING);
    if (of.isEmpty()) return List.of();
    List<FencingLevel> out = new ArrayList<>();
    for (var item : of.get().list("levels")) {
      Optional<Fields> lf = Fields.of(ctx, item, "fencing level", Schema.FENCING_LEVEL);
      if (lf.isEmpty()) continue;
      Fields f = lf.get();
      Optional<String> target = f.text("node");
      Optional<String> pattern = f.text("node-pattern");
      if (target.isPresent() == pattern.isPresent()) {
        ctx.error(f.pos(), "fencing level needs exactly one of 'node' and 'node-pattern'");
        continue;
      }
      Optional<Integer> index = f.has("index") ? f.parsed("index", s -> {
        int i;
        try {
          i = Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
          i = 0;
        }
        if (i < 1 || i > 9) throw new IllegalArgumentException("'" + s + "' is not a level index (expected 1 to 9)");
        return i;
      }) : Optional.empty();
      if (!f.has("index")) ctx.error(f.pos(), "fencing level has no 'index' (expected e.g. index: 1)");
      List<String> devices = f.textList("devices");
      if (devices.isEmpty()) ctx.error(f.pos(), "fencing level has no 'devices' (expected e.g. devices: [ipmi-node1])");
      if (index.isEmpty() || devices.isEmpty()) continue;
      String t = target.orElseGet(pattern::get);
      FencingLevel level = new FencingLevel(t, pattern.isPresent(), index.get(), devices);
      ctx.sources.put("fencing-level", t + "/" + index.get(), f.pos());
      ctx.sources.put("fencing-level", t + "/" + index.get(), "devices", f.pos("devices"));
      out.add(level);
    }
    return out;
  }
}
