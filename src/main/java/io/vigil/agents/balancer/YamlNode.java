package io.vigil.agents.balancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** A YAML node with its file position and key path, so every error can say file:line:column and which key. */
final class YamlNode {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
  final String file;
  final String path;
  final Node node;

  private YamlNode(String file, String path, Node node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  /** Parses a document; syntax errors become ConfigExceptions with the position. */
  static YamlNode root(String file, String text) {
    try {
      Node n = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(text)
          .orElseThrow(() -> new ConfigException(file + ": empty document, expected a virtual service mapping"));
      return new YamlNode(file, "", n);
    } catch (MarkedYamlEngineException e) {
      String at = e.getProblemMark().map(m -> file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)).orElse(file);
      throw new ConfigException(at + ": YAML syntax error: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new ConfigException(file + ": YAML error: " + e.getMessage());
    }
  }

  String where() {
    return node.getStartMark().map(m -> file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)).orElse(file);
  }

  ConfigException error(String what) {
    return new ConfigException(where() + ": " + (path.isEmpty() ? "" : path + ": ") + what);
  }

  /** The entries of a mapping; unknown or duplicate keys are errors. */
  Map<String, YamlNode> mapping(Set<String> allowed) {
    if (!(node instanceof MappingNode m)) {
      throw error("expected a mapping (key: value), got " + kind());
    }
    Map<String, YamlNode> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      YamlNode keyNode = new YamlNode(file, path, t.getKeyNode());
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw keyNode.error("expected a plain key");
      }
      String key = k.getValue();
      if (!allowed.contains(key)) {
        throw keyNode.error("unknown key '" + key + "'" + suggestion(key, allowed) + ", expected one of " + String.join(", ", allowed.stream().sorted().toList()));
      }
      if (out.containsKey(key)) {
        throw keyNode.error("duplicate key '" + key + "'");
      }
      out.put(key, new YamlNode(file, path.isEmpty() ? key : path + "." + key, t.getValueNode()));
    }
    return out;
  }

  List<YamlNode> sequence() {
    if (!(node instanceof SequenceNode s)) {
      throw error("expected a list, got " + kind());
    }
    List<YamlNode> out = new ArrayList<>();
    for (int i = 0; i < s.getValue().size(); i++) {
      out.add(new YamlNode(file, path + "[" + i + "]", s.getValue().get(i)));
    }
    return out;
  }

  String string() {
    if (!(node instanceof ScalarNode s)) {
      throw error("expected a single value, got " + kind());
    }
    return s.getValue();
  }

  /** A scalar or a list of scalars. */
  List<String> strings() {
    if (node instanceof ScalarNode s) {
      return List.of(s.getValue());
    }
    return sequence().stream().map(YamlNode::string).toList();
  }

  int integer(int min, int max) {
    String s = string().trim();
    try {
      int v = Integer.parseInt(s);
      if (v < min || v > max) {
        throw error("expected an integer in " + min + ".." + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw error("expected an integer in " + min + ".." + max + ", got '" + s + "'");
    }
  }

  boolean bool() {
    return switch (string().trim()) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error("expected true or false, got '" + string() + "'");
    };
  }

  /** "500ms", "5s", "2m", "1h", or a bare number of seconds; must be > 0. */
  Duration duration() {
    Matcher m = DURATION.matcher(string().trim());
    if (!m.matches()) {
      throw error("expected a duration like 500ms, 5s, 2m or 1h, got '" + string() + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.isZero()) {
      throw error("expected a duration > 0, got '" + string() + "'");
    }
    return d;
  }

  /** Runs a conversion that may throw IllegalArgumentException and reports it at this node. */
  <T> T convert(java.util.function.Function<String, T> f) {
    try {
      return f.apply(string().trim());
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  private String kind() {
    return switch (node) {
      case MappingNode m -> "a mapping";
      case SequenceNode s -> "a list";
      case ScalarNode s -> "'" + s.getValue() + "'";
      default -> node.getNodeType().toString();
    };
  }

  private static String suggestion(String key, Set<String> allowed) {
    return allowed.stream()
        .min(Comparator.comparingInt(a -> distance(a, key)))
        .filter(a -> distance(a, key) <= 3)
        .map(a -> " (did you mean '" + a + "'?)")
        .orElse("");
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] cur = new int[b.length() + 1];
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      prev = cur;
    }
    return prev[b.length()];
  }
}
