package io.vigil.status.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Walks a composed YAML tree, collecting every problem with the file, line and column it is at. */
final class Tree {
  final String file;
  final List<String> problems = new ArrayList<>();
  /** When known, the node names a status may mention. */
  Optional<java.util.Set<String>> configuredNodes = Optional.empty();

  Tree(String file) {
    this.file = file;
  }

  String at(Node n) {
    return n.getStartMark().map(m -> file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)).orElse(file);
  }

  void error(Node n, String message) {
    problems.add(at(n) + ": " + message);
  }

  /** A mapping's entries by key; unknown keys and non-mappings are reported. */
  Optional<Map<String, Node>> mapping(Node n, String what, List<String> allowed) {
    if (!(n instanceof MappingNode m)) {
      error(n, what + " must be a mapping (key: value lines), found " + shape(n));
      return Optional.empty();
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      Optional<String> key = scalar(t.getKeyNode());
      if (key.isEmpty()) {
        error(t.getKeyNode(), what + ": a key must be plain text");
        continue;
      }
      if (!allowed.isEmpty() && !allowed.contains(key.get())) {
        error(t.getKeyNode(), what + ": unknown key '" + key.get() + "' (expected one of " + String.join(", ", allowed) + ")");
        continue;
      }
      out.put(key.get(), t.getValueNode());
    }
    return Optional.of(out);
  }

  /** A free mapping of text to text (attributes). */
  Map<String, String> textMap(Node n, String what) {
    Map<String, String> out = new LinkedHashMap<>();
    mapping(n, what, List.of()).ifPresent(m -> m.forEach((k, v) -> text(v, what + " '" + k + "'").ifPresent(s -> out.put(k, s))));
    return out;
  }

  List<Node> list(Node n, String what) {
    if (n instanceof SequenceNode s) return s.getValue();
    error(n, what + " must be a list (lines starting with '- '), found " + shape(n));
    return List.of();
  }

  Optional<String> text(Node n, String what) {
    Optional<String> s = scalar(n);
    if (s.isEmpty()) error(n, what + " must be a single value, found " + shape(n));
    return s;
  }

  static Optional<String> scalar(Node n) {
    return n instanceof ScalarNode s ? Optional.of(s.getValue()) : Optional.empty();
  }

  static String shape(Node n) {
    return switch (n) {
      case MappingNode m -> "a mapping";
      case SequenceNode s -> "a list";
      case ScalarNode s -> "'" + s.getValue() + "'";
      default -> "something else";
    };
  }
}
