package io.vigil.config.cib;

import io.vigil.model.AttributeKey;
import io.vigil.model.Ids;
import io.vigil.model.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/** Converts {@code <nodes>}: names, ids, permanent attributes (standby, maintenance) and utilization. */
final class NodeReader {
  private final CibContext ctx;
  private final AttributeSets sets;

  NodeReader(CibContext ctx, AttributeSets sets) {
    this.ctx = ctx;
    this.sets = sets;
  }

  List<Node> read(Element nodes) {
    List<Node> out = new ArrayList<>();
    for (Element e : CibContext.children(nodes)) {
      if (!e.getTagName().equals("node")) {
        ctx.skip(e, "unexpected <" + e.getTagName() + "> in nodes (expected node)");
        continue;
      }
      String type = e.getAttribute("type");
      switch (type) {
        case "", "member", "normal" -> { }
        case "remote" -> {
          ctx.nodeSkipped(e.hasAttribute("uname") ? e.getAttribute("uname") : e.getAttribute("id"));
          ctx.skip(e, "Pacemaker Remote nodes are not supported (every Vigil node runs the full daemon)");
          continue;
        }
        default -> {
          ctx.skip(e, "node type '" + type + "' is not supported (expected member)");
          continue;
        }
      }
      // Pacemaker falls back to the id when a node has no uname.
      String name = e.hasAttribute("uname") ? e.getAttribute("uname") : e.getAttribute("id");
      if (!Ids.isValid(name)) {
        ctx.skip(e, "node name '" + name + "' is not valid (expected letters, digits, '_', '-', '.', ':' or '@')");
        continue;
      }
      String where = CibContext.where(e);
      Map<String, String> attributes = new LinkedHashMap<>(sets.read(e, "instance_attributes"));
      boolean standby = flag(attributes.remove("standby"), where, "standby");
      boolean maintenance = flag(attributes.remove("maintenance"), where, "maintenance");
      out.add(new Node(name, e.getAttribute("id"), attributes, standby, maintenance, sets.utilization(e, where)));
    }
    return out;
  }

  private boolean flag(String value, String where, String name) {
    if (value == null) return false;
    try {
      return AttributeKey.parseBoolean(value);
    } catch (IllegalArgumentException e) {
      ctx.skip(where + " attribute '" + name + "'", "value '" + value + "' is not accepted (expected on/off or true/false)");
      return false;
    }
  }
}
