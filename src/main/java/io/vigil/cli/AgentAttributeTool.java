package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cli.PacemakerAttributeArgs.Action;
import io.vigil.cli.PacemakerAttributeArgs.Request;
import io.vigil.cli.PacemakerAttributeArgs.Scope;
import io.vigil.exec.ControlClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Pacemaker's {@code crm_attribute}, {@code crm_master} and {@code attrd_updater} for the OCF
 * agents vigild runs: the daemon writes small scripts by those names into the directory it gives
 * agents as {@code HA_SBIN_DIR}, and they run this class with the control socket and the node's
 * name. Output and exit codes follow Pacemaker's: 0 done, 64 usage, 105 no such attribute, 102
 * daemon not reachable, 1 refused.
 */
public final class AgentAttributeTool {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 64;
  static final int NOT_CONNECTED = 102;
  static final int NO_SUCH = 105;
  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentAttributeTool() {}

  /** {@code SOCKET NODE TOOL ARGS...}. */
  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: AgentAttributeTool SOCKET NODE TOOL [ARGS...] (run by the scripts vigild writes)");
      System.exit(USAGE);
    }
    ControlClient client = new ControlClient(Path.of(args[0]));
    System.exit(run(client::call, args[1], args[2], Arrays.asList(args).subList(3, args.length), System.getenv(),
        System.out, System.err));
  }

  /** The daemon's side, one request to one answer (the control socket; a fake in tests). */
  interface Daemon {
    JsonNode call(JsonNode request) throws IOException;
  }

  static int run(Daemon daemon, String localNode, String tool, List<String> args, Map<String, String> env,
      PrintStream out, PrintStream err) {
    Request r;
    try {
      r = PacemakerAttributeArgs.parse(tool, args, env);
    } catch (PacemakerAttributeArgs.UsageError e) {
      err.println(e.getMessage());
      return USAGE;
    }
    String node = r.node().isEmpty() ? localNode : r.node();
    ObjectNode req = JSON.createObjectNode();
    req.put("op", "node-attribute").put("action", r.action().name().toLowerCase(java.util.Locale.ROOT))
        .put("scope", r.scope() == Scope.PROPERTY ? "property" : "node").put("node", node).put("name", r.name())
        .put("all", r.allNodes());
    if (r.action() == Action.SET) req.put("value", r.value());
    JsonNode answer;
    try {
      answer = daemon.call(req);
    } catch (IOException e) {
      err.println(tool + ": cannot reach the Vigil daemon: " + e.getMessage());
      return NOT_CONNECTED;
    }
    if (!answer.path("ok").asBoolean(false)) {
      err.println(tool + ": " + answer.path("error").asText("refused"));
      return REFUSED;
    }
    return r.action() == Action.QUERY ? printQuery(r, node, answer.path("values"), out, err) : OK;
  }

  private static int printQuery(Request r, String node, JsonNode values, PrintStream out, PrintStream err) {
    if (values.isEmpty() && r.fallback() == null) {
      err.println(r.tool().equals("attrd_updater")
          ? "Could not query value of " + r.name() + ": attribute does not exist"
          : "Error performing operation: No such device or address");
      return NO_SUCH;
    }
    String scope = r.scope() == Scope.PROPERTY ? "crm_config" : "status";
    if (values.isEmpty()) {
      out.println(r.quiet() ? r.fallback() : "scope=" + scope + "  name=" + r.name() + " value=" + r.fallback());
      return OK;
    }
    for (JsonNode v : values) {
      String value = v.path("value").asText();
      if (r.tool().equals("attrd_updater")) {
        out.println(r.quiet() ? value : "name=\"" + r.name() + "\" host=\"" + v.path("node").asText(node) + "\" value=\"" + value + "\"");
      } else {
        out.println(r.quiet() ? value : "scope=" + scope + "  name=" + r.name() + " value=" + value);
      }
    }
    return OK;
  }
}
