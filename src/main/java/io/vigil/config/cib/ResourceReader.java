package io.vigil.config.cib;

import io.vigil.model.AgentRef;
import io.vigil.model.Clone;
import io.vigil.model.Group;
import io.vigil.model.Meta;
import io.vigil.model.Operation;
import io.vigil.model.Primitive;
import io.vigil.model.Resource;
import io.vigil.model.ResourceClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * Converts {@code <resources>}: primitives (with templates expanded), groups, clones and
 * promotable clones (including legacy {@code <master>}). Bundles and anything unknown are noted.
 */
final class ResourceReader {
  /** Pacemaker meta attributes Vigil deliberately has no equivalent for, and why. */
  private static final Map<String, String> PACEMAKER_ONLY_META = Map.ofEntries(
      Map.entry("remote-node", "guest nodes (remote-node) are not supported"),
      Map.entry("remote-port", "guest nodes (remote-node) are not supported"),
      Map.entry("remote-addr", "guest nodes (remote-node) are not supported"),
      Map.entry("remote-connect-timeout", "guest nodes (remote-node) are not supported"),
      Map.entry("remote-allow-migrate", "guest nodes (remote-node) are not supported"),
      Map.entry("container", "resources inside containers are not supported"),
      Map.entry("container-attribute-target", "resources inside containers are not supported"),
      Map.entry("allow-unhealthy-nodes", "node health is not supported per resource"),
      Map.entry("provides", "unfencing (provides=unfencing) is not supported"),
      Map.entry("description", ""),
      Map.entry("comment", ""));

  /** Clone options: Pacemaker reads them from the clone only and ignores them elsewhere. */
  private static final List<String> CLONE_ONLY = List.of("clone-max", "clone-node-max", "clone-min",
      "globally-unique", "interleave", "notify", "ordered", "promotable", "promoted-max", "promoted-node-max",
      "master-max", "master-node-max");

  private final CibContext ctx;
  private final AttributeSets sets;
  private final OperationReader operations;
  private final Map<String, Element> templates = new HashMap<>();
  /** Template id to the ids of the primitives made from it, for constraints that name a template. */
  private final Map<String, List<String>> templateUsers = new LinkedHashMap<>();

  ResourceReader(CibContext ctx, AttributeSets sets) {
    this.ctx = ctx;
    this.sets = sets;
    this.operations = new OperationReader(ctx, sets);
  }

  Map<String, List<String>> templateUsers() {
    return templateUsers;
  }

  List<Resource> read(Element resources) {
    for (Element e : CibContext.children(resources)) {
      if (e.getTagName().equals("template")) templates.put(e.getAttribute("id"), e);
    }
    List<Resource> out = new ArrayList<>();
    for (Element e : CibContext.children(resources)) {
      switch (e.getTagName()) {
        case "template" -> { } // expanded into the primitives that use it
        case "primitive" -> primitive(e, Map.of()).ifPresent(out::add);
        case "group" -> group(e, Map.of()).ifPresent(out::add);
        case "clone" -> clone(e, false).ifPresent(out::add);
        case "master" -> clone(e, true).ifPresent(out::add);
        case "bundle" -> ctx.skip(e, "bundles (container-based resources) are not supported");
        default -> ctx.skip(e, "unknown resource element <" + e.getTagName() + ">");
      }
    }
    return out;
  }

  /**
   * @param inherited instance attributes of the enclosing group or clone, which Pacemaker passes
   *     to the agent unless the primitive sets them itself
   */
  private Optional<Primitive> primitive(Element e, Map<String, String> inherited) {
    String where = CibContext.where(e);
    Optional<Element> template = Optional.empty();
    if (e.hasAttribute("template")) {
      String t = e.getAttribute("template");
      template = Optional.ofNullable(templates.get(t));
      if (template.isEmpty()) {
        ctx.skip(e, "template '" + t + "' is not defined");
        return Optional.empty();
      }
    }
    Element agentSource = e.hasAttribute("class") || template.isEmpty() ? e : template.get();
    String cls = agentSource.getAttribute("class");
    Optional<ResourceClass> rc = ResourceClass.parse(cls);
    if (rc.isEmpty()) {
      ctx.skip(e, cls.isEmpty() ? "no agent class" : "agent class '" + cls
          + "' is not supported (expected ocf, lsb, systemd, service or stonith)");
      return Optional.empty();
    }
    try {
      AgentRef agent = new AgentRef(rc.get(), agentSource.getAttribute("provider"), agentSource.getAttribute("type"));
      Map<String, String> params = new LinkedHashMap<>(inherited);
      params.putAll(merged(template, e, "instance_attributes"));
      params.entrySet().removeIf(p -> {
        if (!p.getValue().startsWith("lrm://")) return false;
        ctx.skip(where + " parameter '" + p.getKey() + "'",
            "stored outside the CIB by cibsecret; give it as a secret parameter read from a file");
        return true;
      });
      Map<String, String> metaRaw = merged(template, e, "meta_attributes");
      if (metaRaw.containsKey("remote-node")) ctx.nodeSkipped(metaRaw.get("remote-node"));
      dropCloneOptions(metaRaw, where);
      Meta meta = new Meta(sets.typed(metaRaw, Meta.KEYS, where, PACEMAKER_ONLY_META));
      List<Operation> ops = new ArrayList<>();
      template.ifPresent(t -> ops.addAll(operations.read(t, where)));
      for (Operation op : operations.read(e, where)) {
        // The primitive's own definition of an operation replaces the template's.
        ops.removeIf(o -> o.name().equals(op.name()) && o.interval().equals(op.interval()) && o.role().equals(op.role()));
        ops.add(op);
      }
      Map<String, Integer> utilization = new LinkedHashMap<>();
      template.ifPresent(t -> utilization.putAll(sets.utilization(t, where)));
      utilization.putAll(sets.utilization(e, where));
      Primitive p = new Primitive(e.getAttribute("id"), agent, params, Map.of(), meta, ops, utilization);
      template.ifPresent(t -> templateUsers.computeIfAbsent(t.getAttribute("id"), k -> new ArrayList<>()).add(p.id()));
      return Optional.of(p);
    } catch (IllegalArgumentException ex) {
      ctx.skip(e, ex.getMessage());
      return Optional.empty();
    }
  }

  /** The template's set values overridden by the primitive's own. */
  private Map<String, String> merged(Optional<Element> template, Element e, String setTag) {
    Map<String, String> out = new LinkedHashMap<>();
    template.ifPresent(t -> out.putAll(sets.read(t, setTag)));
    out.putAll(sets.read(e, setTag));
    return out;
  }

  private Optional<Group> group(Element e, Map<String, String> inherited) {
    String where = CibContext.where(e);
    Map<String, String> params = new LinkedHashMap<>(inherited);
    params.putAll(sets.read(e, "instance_attributes"));
    List<Primitive> members = new ArrayList<>();
    for (Element c : CibContext.children(e)) {
      switch (c.getTagName()) {
        case "primitive" -> primitive(c, params).ifPresent(members::add);
        case "meta_attributes", "instance_attributes" -> { }
        case "utilization" -> ctx.skip(c, "utilization of a group is not supported (set it on its members)");
        default -> ctx.skip(c, "a group can hold only primitives");
      }
    }
    if (members.isEmpty()) {
      ctx.skip(e, "group has no importable members");
      return Optional.empty();
    }
    Map<String, String> raw = sets.read(e, "meta_attributes");
    String ordered = raw.remove("ordered");
    dropCloneOptions(raw, where);
    if (ordered != null) raw.put("ordered", ordered);
    for (String groupOnly : List.of("ordered", "collocated")) {
      String v = raw.remove(groupOnly);
      if (v != null && !isTrue(v)) {
        ctx.skip(where + " meta '" + groupOnly + "'",
            "'" + v + "' is not supported: groups are always ordered and collocated (use sets for independent members)");
      }
    }
    try {
      return Optional.of(new Group(e.getAttribute("id"), members, new Meta(sets.typed(raw, Meta.KEYS, where, PACEMAKER_ONLY_META))));
    } catch (IllegalArgumentException ex) {
      ctx.skip(e, ex.getMessage());
      return Optional.empty();
    }
  }

  private void dropCloneOptions(Map<String, String> meta, String where) {
    for (String key : CLONE_ONLY) {
      if (meta.remove(key) != null) {
        ctx.skip(where + " meta '" + key + "'", "a clone option on a resource that is not a clone; Pacemaker ignores it");
      }
    }
  }

  private static boolean isTrue(String v) {
    try {
      return io.vigil.model.AttributeKey.parseBoolean(v);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Optional<Clone> clone(Element e, boolean legacyMaster) {
    String where = CibContext.where(e);
    Optional<? extends Resource> child = Optional.empty();
    Map<String, String> params = sets.read(e, "instance_attributes");
    for (Element c : CibContext.children(e)) {
      switch (c.getTagName()) {
        case "primitive", "group" -> {
          if (child.isPresent()) {
            ctx.skip(c, "a clone holds one resource; extra child ignored");
          } else {
            child = c.getTagName().equals("primitive") ? primitive(c, params) : group(c, params);
            if (child.isEmpty()) {
              ctx.skip(e, "its resource '" + c.getAttribute("id") + "' could not be imported");
              return Optional.empty();
            }
          }
        }
        case "meta_attributes", "instance_attributes" -> { }
        case "utilization" -> ctx.skip(c, "utilization of a clone is not supported (set it on its resource)");
        default -> ctx.skip(c, "a clone can hold only a primitive or a group");
      }
    }
    if (child.isEmpty()) {
      ctx.skip(e, "clone without a resource");
      return Optional.empty();
    }
    Map<String, String> raw = sets.read(e, "meta_attributes");
    Map<String, String> meta = new LinkedHashMap<>(sets.typed(raw, Meta.KEYS, where, PACEMAKER_ONLY_META));
    if (legacyMaster) {
      meta.remove("promotable");
      meta.put(Meta.PROMOTABLE.name(), "true");
    }
    try {
      return Optional.of(new Clone(e.getAttribute("id"), child.get(), new Meta(meta)));
    } catch (IllegalArgumentException ex) {
      ctx.skip(e, ex.getMessage());
      return Optional.empty();
    }
  }
}
