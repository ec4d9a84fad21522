package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.NodeStatus;
import io.vigil.model.Suggest;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code node-attribute}: set, delete or query a node attribute in the replicated status — what
 * agents do with Pacemaker's {@code crm_attribute}, {@code crm_master} and {@code attrd_updater}
 * (promotion scores {@code master-<resource>}, health and custom attributes used by location
 * rules), and what {@code vigil node attribute} does for an operator. Queries read the leader's
 * state, so a value just set is seen; {@code scope: property} queries the configuration's cluster
 * properties instead. Names the cluster keeps itself (fail counts, node states) are refused.
 */
final class AttributeRequests {
  static final String OP = "node-attribute";
  static final int MAX_NAME = 200;
  static final int MAX_VALUE = 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:+-]*");
  private final Committer commit;

  AttributeRequests(Committer commit) {
    this.commit = commit;
  }

  ObjectNode handle(JsonNode req, String author) throws Exception {
    try {
      String action = req.path("action").asText("");
      String name = req.path("name").asText("");
      String node = req.path("node").asText("");
      if (req.path("scope").asText("node").equals("property")) {
        if (!action.equals("query")) throw new Committer.Refused("cluster properties are changed with 'vigil cluster apply'");
        return property(name);
      }
      checkName(name);
      ClusterState s = commit.readLeaderState();
      return switch (action) {
        case "query" -> query(s, node, name, req.path("all").asBoolean(false));
        case "set" -> {
          JsonNode v = req.get("value");
          if (v == null || !v.isTextual()) throw new Committer.Refused(OP + " set needs a text 'value'");
          yield set(s, node, name, checkValue(v.asText()), author);
        }
        case "delete" -> set(s, node, name, null, author);
        default -> throw new Committer.Refused(OP + " 'action' is '" + action + "', expected set, delete or query");
      };
    } catch (Committer.Refused e) {
      return ControlServer.error(e.getMessage() + "; nothing was changed");
    }
  }

  private ObjectNode set(ClusterState s, String node, String name, String value, String author) throws Exception {
    known(s, node);
    var r = commit.submit(new Command.SetNodeAttribute(node, name, value, author, commit.clock.millis()));
    return Committer.answer(r, "attribute " + name + " of " + node + (value == null ? " deleted" : " set to " + value));
  }

  private ObjectNode query(ClusterState s, String node, String name, boolean all) {
    ObjectNode n = Committer.JSON.createObjectNode();
    n.put("ok", true);
    n.put("name", name);
    ArrayNode values = n.putArray("values");
    List<String> nodes = all ? List.copyOf(new java.util.TreeSet<>(s.status().nodes().keySet())) : List.of(known(s, node));
    for (String each : nodes) {
      String v = s.status().nodes().get(each).attributes().get(name);
      if (v != null) values.addObject().put("node", each).put("value", v);
    }
    return n;
  }

  private ObjectNode property(String name) throws Exception {
    if (name.isEmpty()) throw new Committer.Refused(OP + " needs 'name'");
    ObjectNode n = Committer.JSON.createObjectNode();
    n.put("ok", true);
    n.put("name", name);
    ArrayNode values = n.putArray("values");
    ClusterState s = commit.readLeaderState();
    if (s.epoch() > 0) {
      Map<String, String> props = Committer.configOrThrow(s).properties().values();
      if (props.containsKey(name)) values.addObject().put("node", "").put("value", props.get(name));
    }
    return n;
  }

  private static String known(ClusterState s, String node) {
    if (node.isEmpty()) throw new Committer.Refused(OP + " needs 'node'");
    if (!s.status().nodes().containsKey(node)) {
      throw new Committer.Refused("unknown node '" + node + "'" + Suggest.hint(node, s.status().nodes().keySet()));
    }
    return node;
  }

  /** A name agents may set: not one the cluster keeps itself. */
  static void checkName(String name) {
    if (name.isEmpty()) throw new Committer.Refused(OP + " needs 'name'");
    if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
      throw new Committer.Refused("attribute name '" + abbreviate(name) + "' is not valid: expected up to " + MAX_NAME
          + " letters, digits and _ . : + - (not starting with . : + -)");
    }
    if (name.startsWith("fail-count-") || name.startsWith("last-failure-") || name.equals(NodeStatus.LOST_IN_MAINTENANCE)) {
      throw new Committer.Refused("attribute '" + name + "' is the cluster's own; clear failures with 'vigil resource cleanup'");
    }
    if (name.equals("standby") || name.equals("maintenance")) {
      throw new Committer.Refused("attribute '" + name + "' is a node state here: use 'vigil node " + name + " NODE'"
          + " (and 'vigil node online NODE' to end it)");
    }
  }

  private static String checkValue(String value) {
    if (value.length() > MAX_VALUE || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new Committer.Refused("attribute value is not valid: expected up to " + MAX_VALUE + " characters without control characters");
    }
    return value;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
