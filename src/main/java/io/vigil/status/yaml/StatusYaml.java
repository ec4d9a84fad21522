package io.vigil.status.yaml;

import io.vigil.model.Durations;
import io.vigil.status.ClusterStatus;
import io.vigil.status.NodeStatus;
import io.vigil.status.OpRecord;
import io.vigil.status.ResourceHistory;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a status file: what the cluster observed, for {@code vigil simulate -f cluster.yaml
 * --status status.yaml}. The format is documented in docs/scheduler.md ("Status files"). Every
 * problem is reported at once as {@code file:line:column: message}; a file with any problem
 * yields no status at all.
 */
public final class StatusYaml {
  static final int MAX_CHARS = 8 * 1024 * 1024;
  static final List<String> TOP = List.of("quorum", "dc", "time", "nodes");
  static final List<String> NODE = List.of("name", "id", "state", "attributes", "fail-counts", "utilization", "history");
  static final List<String> HISTORY = List.of("resource", "agent", "ops");
  static final List<String> OP = List.of("op", "interval", "rc", "call", "status", "expected", "at", "exec-time",
      "source", "target");
  static final List<String> FAIL = List.of("count", "last-failure");
  static final List<String> STATES = List.of("online", "offline", "lost", "pending", "shutting-down");
  static final List<String> OPS = List.of("start", "stop", "monitor", "promote", "demote", "migrate_to",
      "migrate_from", "notify", "reload", "reload-agent");
  /** Execution statuses by name, as Pacemaker's op-status numbers. */
  static final Map<String, Integer> STATUSES = Map.of("done", OpRecord.EXEC_DONE, "pending", OpRecord.EXEC_PENDING,
      "cancelled", OpRecord.EXEC_CANCELLED, "timeout", OpRecord.EXEC_TIMEOUT, "not-supported",
      OpRecord.EXEC_NOT_SUPPORTED, "error", OpRecord.EXEC_ERROR, "error-hard", OpRecord.EXEC_ERROR_HARD,
      "error-fatal", OpRecord.EXEC_ERROR_FATAL, "not-installed", OpRecord.EXEC_NOT_INSTALLED);

  private StatusYaml() {}

  /** Parses {@code text} (named {@code file} in messages). */
  public static ClusterStatus read(String text, String file) throws StatusYamlException {
    return read(text, file, Optional.empty());
  }

  /**
   * Parses {@code text}; with {@code configuredNodes}, a node that is not among them is a problem
   * (a status must describe the configuration's cluster).
   */
  public static ClusterStatus read(String text, String file, Optional<Set<String>> configuredNodes)
      throws StatusYamlException {
    Tree t = new Tree(file);
    t.configuredNodes = configuredNodes;
    if (text.length() > MAX_CHARS) {
      throw new StatusYamlException(List.of(file + ": " + text.length() + " characters, more than the limit of " + MAX_CHARS));
    }
    LoadSettings settings = LoadSettings.builder().setLabel(file).setAllowDuplicateKeys(false)
        .setAllowRecursiveKeys(false).setMaxAliasesForCollections(100).setCodePointLimit(MAX_CHARS)
        .setUseMarks(true).build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      String where = e.getProblemMark().map(m -> file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)).orElse(file);
      throw new StatusYamlException(List.of(where + ": not valid YAML: " + firstLine(e.getProblem())));
    } catch (YamlEngineException e) {
      throw new StatusYamlException(List.of(file + ": not valid YAML: " + firstLine(e.getMessage())));
    }
    if (root.isEmpty()) throw new StatusYamlException(List.of(file + ": empty (expected at least 'nodes:')"));
    ClusterStatus status = status(t, root.get());
    if (!t.problems.isEmpty()) throw new StatusYamlException(t.problems);
    return status;
  }

  private static ClusterStatus status(Tree t, Node root) {
    Map<String, Node> top = t.mapping(root, "status", TOP).orElse(Map.of());
    boolean quorum = top.containsKey("quorum") ? bool(t, top.get("quorum"), "quorum").orElse(true) : true;
    Optional<String> dc = top.containsKey("dc") ? t.text(top.get("dc"), "dc") : Optional.empty();
    Optional<Instant> time = top.containsKey("time") ? instant(t, top.get("time"), "time") : Optional.empty();
    List<NodeStatus> nodes = new ArrayList<>();
    if (!top.containsKey("nodes")) {
      t.error(root, "status has no 'nodes' (expected e.g. nodes: [{name: alpha, state: online}])");
    } else {
      Set<String> names = new LinkedHashSet<>();
      for (Node n : t.list(top.get("nodes"), "nodes")) {
        node(t, n).ifPresent(ns -> {
          if (!names.add(ns.name())) t.error(n, "node '" + ns.name() + "' is listed twice");
          else nodes.add(ns);
        });
      }
    }
    return new ClusterStatus(nodes, quorum, dc, time);
  }

  private static Optional<NodeStatus> node(Tree t, Node n) {
    Optional<Map<String, Node>> om = t.mapping(n, "node", NODE);
    if (om.isEmpty()) return Optional.empty();
    Map<String, Node> m = om.get();
    if (!m.containsKey("name")) {
      t.error(n, "node has no 'name' (expected e.g. name: alpha)");
      return Optional.empty();
    }
    Optional<String> name = t.text(m.get("name"), "node name");
    if (name.isEmpty()) return Optional.empty();
    String what = "node '" + name.get() + "'";
    if (t.configuredNodes.isPresent() && !t.configuredNodes.get().contains(name.get())) {
      t.error(m.get("name"), what + " is not a node of the configuration (expected one of "
          + String.join(", ", new java.util.TreeSet<>(t.configuredNodes.get())) + ")");
    }
    String id = m.containsKey("id") ? t.text(m.get("id"), what + ": id").orElse(name.get()) : name.get();
    String state = "online";
    if (m.containsKey("state")) {
      state = t.text(m.get("state"), what + ": state").orElse("online");
      if (!STATES.contains(state)) {
        t.error(m.get("state"), what + ": state '" + state + "' (expected one of " + String.join(", ", STATES) + ")");
      }
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    if (m.containsKey("attributes")) attrs.putAll(t.textMap(m.get("attributes"), what + ": attributes"));
    if (m.containsKey("fail-counts")) failCounts(t, m.get("fail-counts"), what, attrs);
    if (state.equals("shutting-down")) attrs.putIfAbsent("shutdown", "1");
    Map<String, Integer> utilization = new LinkedHashMap<>();
    if (m.containsKey("utilization")) {
      t.textMap(m.get("utilization"), what + ": utilization").forEach((k, v) -> {
        try {
          utilization.put(k, Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
          t.error(m.get("utilization"), what + ": utilization '" + k + "' = '" + v + "' is not an integer");
        }
      });
    }
    List<ResourceHistory> histories = new ArrayList<>();
    if (m.containsKey("history")) {
      Set<String> seen = new LinkedHashSet<>();
      for (Node h : t.list(m.get("history"), what + ": history")) {
        history(t, h, what).ifPresent(rh -> {
          if (!seen.add(rh.resourceId())) t.error(h, what + ": resource '" + rh.resourceId() + "' has two history entries (put all its ops in one)");
          else histories.add(rh);
        });
      }
    }
    NodeStatus base = new NodeStatus(name.get(), id, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), attrs, histories, utilization);
    return Optional.of(switch (state) {
      case "offline" -> base.withMembership("false", "offline", "down", "down");
      // lost while expected up: unclean (fenced before recovery) when fencing is enabled
      case "lost" -> base.withMembership("false", "offline", "member", "member");
      case "pending" -> base.withMembership("true", "online", "pending", "member");
      default -> base.withMembership("true", "online", "member", "member");
    });
  }

  /** {@code RSC: N}, {@code RSC#OP_INTERVAL: N}, or {@code RSC: {count: N, last-failure: TIME}}. */
  private static void failCounts(Tree t, Node n, String what, Map<String, String> attrs) {
    t.mapping(n, what + ": fail-counts", List.of()).ifPresent(m -> m.forEach((rsc, v) -> {
      String w = what + ": fail count of '" + rsc + "'";
      Optional<String> count;
      Optional<Instant> last = Optional.empty();
      if (Tree.scalar(v).isPresent()) {
        count = Tree.scalar(v);
      } else {
        Map<String, Node> f = t.mapping(v, w, FAIL).orElse(Map.of());
        count = f.containsKey("count") ? t.text(f.get("count"), w + ": count") : Optional.empty();
        if (!f.containsKey("count")) t.error(v, w + " has no 'count' (expected e.g. count: 2)");
        if (f.containsKey("last-failure")) last = instant(t, f.get("last-failure"), w + ": last-failure");
      }
      if (count.isEmpty()) return;
      String c = count.get().strip();
      if (!c.matches("\\d+|\\+?INFINITY")) {
        t.error(v, w + ": '" + c + "' is not a count (expected a non-negative integer or INFINITY)");
        return;
      }
      attrs.put("fail-count-" + rsc, c);
      last.ifPresent(i -> attrs.put("last-failure-" + rsc, Long.toString(i.getEpochSecond())));
    }));
  }

  private static Optional<ResourceHistory> history(Tree t, Node n, String what) {
    Optional<Map<String, Node>> om = t.mapping(n, what + ": history entry", HISTORY);
    if (om.isEmpty()) return Optional.empty();
    Map<String, Node> m = om.get();
    if (!m.containsKey("resource")) {
      t.error(n, what + ": history entry has no 'resource' (expected e.g. resource: web)");
      return Optional.empty();
    }
    Optional<String> rsc = t.text(m.get("resource"), what + ": resource");
    if (rsc.isEmpty()) return Optional.empty();
    String w = what + ": resource '" + rsc.get() + "'";
    String agent = m.containsKey("agent") ? t.text(m.get("agent"), w + ": agent").orElse("") : "";
    List<OpRecord> ops = new ArrayList<>();
    if (m.containsKey("ops")) {
      List<Node> list = t.list(m.get("ops"), w + ": ops");
      for (int i = 0; i < list.size(); i++) op(t, list.get(i), w + ": op " + (i + 1), rsc.get()).ifPresent(ops::add);
    }
    return Optional.of(new ResourceHistory(rsc.get(), agent, ops));
  }

  private static Optional<OpRecord> op(Tree t, Node n, String what, String rsc) {
    Optional<Map<String, Node>> om = t.mapping(n, what, OP);
    if (om.isEmpty()) return Optional.empty();
    Map<String, Node> m = om.get();
    int before = t.problems.size();
    String op = required(t, n, m, "op", what, "op: start").orElse("");
    if (!op.isEmpty() && !OPS.contains(op)) {
      t.error(m.get("op"), what + ": op '" + op + "' (expected one of " + String.join(", ", OPS) + ")");
    }
    long interval = 0;
    if (m.containsKey("interval")) {
      Optional<String> iv = t.text(m.get("interval"), what + ": interval");
      try {
        interval = iv.map(s -> Durations.parse(s).toMillis()).orElse(0L);
      } catch (IllegalArgumentException e) {
        t.error(m.get("interval"), what + ": interval '" + iv.orElse("") + "' is not a duration (expected e.g. 10s or 0)");
      }
    }
    int rc = integer(t, m, "rc", what, 0, 255, n, true).orElse(0);
    int call = integer(t, m, "call", what, 0, Integer.MAX_VALUE, n, true).orElse(0);
    int expected = integer(t, m, "expected", what, 0, 255, n, false).orElse(-1);
    int execMs = integer(t, m, "exec-time", what, 0, Integer.MAX_VALUE, n, false).orElse(0);
    int status = OpRecord.EXEC_DONE;
    if (m.containsKey("status")) {
      String s = t.text(m.get("status"), what + ": status").orElse("done");
      Integer code = STATUSES.get(s);
      if (code == null) {
        t.error(m.get("status"), what + ": status '" + s + "' (expected one of "
            + String.join(", ", STATUSES.keySet().stream().sorted().toList()) + ")");
      } else {
        status = code;
      }
    } else if (rc != 0 && rc != 7 && rc != 8) {
      status = OpRecord.EXEC_ERROR;
    }
    Optional<Instant> at = m.containsKey("at") ? instant(t, m.get("at"), what + ": at") : Optional.empty();
    Optional<String> source = m.containsKey("source") ? t.text(m.get("source"), what + ": source") : Optional.empty();
    Optional<String> target = m.containsKey("target") ? t.text(m.get("target"), what + ": target") : Optional.empty();
    if (t.problems.size() > before) return Optional.empty();
    return Optional.of(new OpRecord(rsc + "_" + op + "_" + interval, op, interval, rc, status, call, expected, at,
        execMs, source, target));
  }

  private static Optional<String> required(Tree t, Node n, Map<String, Node> m, String key, String what, String example) {
    if (!m.containsKey(key)) {
      t.error(n, what + " has no '" + key + "' (expected e.g. " + example + ")");
      return Optional.empty();
    }
    return t.text(m.get(key), what + ": " + key);
  }

  private static Optional<Integer> integer(Tree t, Map<String, Node> m, String key, String what, int min, int max,
      Node owner, boolean needed) {
    if (!m.containsKey(key)) {
      if (needed) t.error(owner, what + " has no '" + key + "' (expected an integer " + min + ".." + max + ")");
      return Optional.empty();
    }
    Optional<String> s = t.text(m.get(key), what + ": " + key);
    if (s.isEmpty()) return Optional.empty();
    try {
      int v = Integer.parseInt(s.get().strip());
      if (v >= min && v <= max) return Optional.of(v);
    } catch (NumberFormatException ignored) {
      // reported below
    }
    t.error(m.get(key), what + ": " + key + " '" + s.get() + "' is not an integer " + min + ".." + max);
    return Optional.empty();
  }

  private static Optional<Boolean> bool(Tree t, Node n, String what) {
    Optional<String> s = t.text(n, what);
    if (s.isEmpty()) return Optional.empty();
    return switch (s.get().strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on" -> Optional.of(true);
      case "false", "no", "off" -> Optional.of(false);
      default -> {
        t.error(n, what + " '" + s.get() + "' is not true or false");
        yield Optional.empty();
      }
    };
  }

  private static Optional<Instant> instant(Tree t, Node n, String what) {
    Optional<String> s = t.text(n, what);
    if (s.isEmpty()) return Optional.empty();
    try {
      return Optional.of(OffsetDateTime.parse(s.get().strip()).toInstant());
    } catch (DateTimeParseException e) {
      t.error(n, what + " '" + s.get() + "' is not a time (expected ISO 8601 with an offset, e.g. 2026-11-25T19:00:00Z)");
      return Optional.empty();
    }
  }

  private static String firstLine(String s) {
    String m = s == null ? "" : s.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
