package io.vigil.config;

import io.vigil.model.Suggest;

import io.vigil.model.AgentRef;
import io.vigil.model.Clone;
import io.vigil.model.Durations;
import io.vigil.model.Group;
import io.vigil.model.Ids;
import io.vigil.model.KeyRegistry;
import io.vigil.model.Meta;
import io.vigil.model.OnFail;
import io.vigil.model.Operation;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code resources:} list: primitives, groups of primitives and clones. */
final class ResourceReader {
  private final ReadContext ctx;

  ResourceReader(ReadContext ctx) {
    this.ctx = ctx;
  }

  List<Resource> readAll(List<Node> items) {
    List<Resource> out = new ArrayList<>();
    for (Node item : items) read(item, "resource").ifPresent(out::add);
    return out;
  }

  /** One resource of any kind; {@code where} names the context for messages. */
  Optional<Resource> read(Node item, String where) {
    Optional<String> kind = Yaml.kindKey(item, "primitive", "group", "clone");
    if (kind.isEmpty()) {
      ctx.error(SourcePos.of(ctx.file, item), where + " must start with 'primitive: ID', 'group: ID' or 'clone: ID', found "
          + Fields.shape(item));
      return Optional.empty();
    }
    Optional<Resource> r = switch (kind.get()) {
      case "primitive" -> readPrimitive(item).map(Resource.class::cast);
      case "group" -> readGroup(item);
      default -> readClone(item);
    };
    if (r.isEmpty()) Yaml.scalar(item, kind.get()).ifPresent(ctx.broken::add);
    return r;
  }

  Optional<Primitive> readPrimitive(Node item) {
    String name = Yaml.scalar(item, "primitive").orElse("?");
    Optional<Fields> of = Fields.of(ctx, item, "primitive '" + name + "'", Schema.PRIMITIVE);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    Optional<String> id = f.parsed("primitive", s -> Ids.require(s, "resource"));
    Optional<AgentRef> agent = f.requiredText("agent", "ocf:heartbeat:Dummy").flatMap(a -> {
      try {
        return Optional.of(AgentRef.parse(a));
      } catch (IllegalArgumentException e) {
        ctx.error(f.pos("agent"), f.what() + ": " + e.getMessage());
        return Optional.empty();
      }
    });
    Map<String, String> params = plainMap(f, "params");
    Map<String, String> secrets = secretMap(f);
    Meta meta = readMeta(f, "meta");
    Map<String, Integer> utilization = utilization(ctx, f);
    List<Operation> ops = new ArrayList<>();
    List<Node> opNodes = f.list("operations");
    for (Node opNode : opNodes) readOperation(opNode, f.what()).ifPresent(ops::add);
    if (id.isEmpty() || agent.isEmpty()) return Optional.empty();
    ctx.sources.put("resource", id.get(), f.pos("primitive"));
    ctx.sources.put("resource", id.get(), "agent", f.pos("agent"));
    for (int i = 0; i < opNodes.size(); i++) {
      ctx.sources.put("resource", id.get(), "operations[" + i + "]", SourcePos.of(ctx.file, opNodes.get(i)));
    }
    f.textMap("meta").forEach((k, v) -> ctx.sources.put("resource", id.get(), "meta." + k, v.keyPos()));
    return Optional.of(new Primitive(id.get(), agent.get(), params, secrets, meta, ops, utilization));
  }

  private Optional<Operation> readOperation(Node node, String owner) {
    String opName = Yaml.scalar(node, "name").orElse("?");
    Optional<Fields> of = Fields.of(ctx, node, owner + ": operation '" + opName + "'", Schema.OPERATION);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    Optional<String> name = f.requiredText("name", "monitor");
    Duration interval = f.parsed("interval", Durations::parse).orElse(Duration.ZERO);
    Optional<Duration> timeout = f.parsed("timeout", Durations::parse);
    Optional<Role> role = f.choice("role", Role::parse, "one of Stopped, Started, Unpromoted, Promoted");
    Optional<OnFail> onFail = f.choice("on-fail", OnFail::parse,
        "one of ignore, block, stop, restart, standby, fence, demote");
    Optional<Duration> startDelay = f.parsed("start-delay", Durations::parse);
    boolean enabled = f.bool("enabled").orElse(true);
    Map<String, String> attributes = plainMap(f, "attributes");
    if (name.isPresent() && !name.get().matches("[a-z_-]{1,40}")) {
      ctx.error(f.pos("name"), f.what() + ": operation name '" + name.get()
          + "' (expected an action such as start, stop, monitor, promote, demote, notify, migrate_to, migrate_from)");
      return Optional.empty();
    }
    return name.map(n -> new Operation(n, interval, timeout, role, onFail, startDelay, enabled, attributes));
  }

  private Optional<Resource> readGroup(Node item) {
    String name = Yaml.scalar(item, "group").orElse("?");
    Optional<Fields> of = Fields.of(ctx, item, "group '" + name + "'", Schema.GROUP);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    Optional<String> id = f.parsed("group", s -> Ids.require(s, "group"));
    Meta meta = readMeta(f, "meta");
    List<Primitive> members = new ArrayList<>();
    if (!f.has("members")) ctx.error(f.pos(), f.what() + " has no 'members' (expected a list of primitives)");
    for (Node m : f.list("members")) {
      if (Yaml.kindKey(m, "primitive").isEmpty()) {
        ctx.error(SourcePos.of(ctx.file, m), f.what() + ": members must be primitives ('primitive: ID'), found "
            + Yaml.kindKey(m, "group", "clone").map(k -> "a " + k).orElse(Fields.shape(m))
            + " (groups cannot contain groups or clones; clone the group instead)");
        continue;
      }
      Optional<Primitive> p = readPrimitive(m);
      p.ifPresentOrElse(members::add, () -> Yaml.scalar(m, "primitive").ifPresent(ctx.broken::add));
    }
    if (id.isEmpty() || members.isEmpty()) {
      members.forEach(m -> ctx.broken.add(m.id()));
      return Optional.empty();
    }
    ctx.sources.put("resource", id.get(), f.pos("group"));
    f.textMap("meta").forEach((k, v) -> ctx.sources.put("resource", id.get(), "meta." + k, v.keyPos()));
    return Optional.of(new Group(id.get(), members, meta));
  }

  private Optional<Resource> readClone(Node item) {
    String name = Yaml.scalar(item, "clone").orElse("?");
    Optional<Fields> of = Fields.of(ctx, item, "clone '" + name + "'", Schema.CLONE);
    if (of.isEmpty()) return Optional.empty();
    Fields f = of.get();
    Optional<String> id = f.parsed("clone", s -> Ids.require(s, "clone"));
    Meta meta = readMeta(f, "meta");
    Optional<Resource> child = Optional.empty();
    if (!f.has("resource")) {
      ctx.error(f.pos(), f.what() + " has no 'resource' (expected the primitive or group to clone)");
    } else {
      Node c = f.node("resource").orElseThrow();
      if (Yaml.kindKey(c, "clone").isPresent()) {
        ctx.error(f.pos("resource"), f.what() + ": a clone cannot contain another clone");
      } else {
        child = read(c, f.what() + ": 'resource'");
      }
    }
    if (id.isEmpty() || child.isEmpty()) {
      child.ifPresent(c -> markBroken(c));
      return Optional.empty();
    }
    ctx.sources.put("resource", id.get(), f.pos("clone"));
    f.textMap("meta").forEach((k, v) -> ctx.sources.put("resource", id.get(), "meta." + k, v.keyPos()));
    return Optional.of(new Clone(id.get(), child.get(), meta));
  }

  private void markBroken(Resource r) {
    ctx.broken.add(r.id());
    r.children().forEach(this::markBroken);
  }

  Meta readMeta(Fields f, String key) {
    return Meta.of(attributes(ctx, f, key, Meta.KEYS));
  }

  /** Reads a typed attribute set, reporting unknown keys and bad values; keeps only good entries. */
  static Map<String, String> attributes(ReadContext ctx, Fields f, String key, KeyRegistry registry) {
    Map<String, String> good = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    registry.keys().forEach(k -> names.add(k.name()));
    f.textMap(key).forEach((name, v) -> {
      var k = registry.find(name);
      if (k.isEmpty()) {
        ctx.error(v.keyPos(), f.what() + ": unknown " + registry.kind() + " '" + name + "'" + Suggest.hint(name, names));
        return;
      }
      try {
        k.get().parse(v.value());
        good.put(name, v.value());
      } catch (IllegalArgumentException e) {
        ctx.error(v.pos(), f.what() + ": " + e.getMessage());
      }
    });
    return good;
  }

  private static Map<String, String> plainMap(Fields f, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    f.textMap(key).forEach((k, v) -> out.put(k, v.value()));
    return out;
  }

  private Map<String, String> secretMap(Fields f) {
    Map<String, String> out = new LinkedHashMap<>();
    f.textMap("secret-params").forEach((k, v) -> {
      if (!v.value().startsWith("/")) {
        ctx.error(v.pos(), f.what() + ": secret-params '" + k + "' is '" + Fields.abbreviate(v.value())
            + "', expected the absolute path of a file holding the secret");
      } else {
        out.put(k, v.value());
      }
    });
    return out;
  }

  static Map<String, Integer> utilization(ReadContext ctx, Fields f) {
    Map<String, Integer> out = new LinkedHashMap<>();
    f.textMap("utilization").forEach((k, v) -> {
      try {
        int n = Integer.parseInt(v.value().strip());
        if (n < 0) throw new NumberFormatException();
        out.put(k, n);
      } catch (NumberFormatException e) {
        ctx.error(v.pos(), f.what() + ": utilization '" + k + "' is '" + Fields.abbreviate(v.value())
            + "', expected a non-negative integer");
      }
    });
    return out;
  }
}
