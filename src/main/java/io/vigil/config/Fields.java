package io.vigil.config;

import io.vigil.model.Suggest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The keys of one YAML mapping, read with located errors: unknown keys (with suggestions),
 * missing required keys, wrong shapes and unparsable values are reported to the
 * {@link ReadContext} and the caller gets an empty value instead of an exception.
 */
final class Fields {
  private final ReadContext ctx;
  private final Node node;
  private final String what;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  private Fields(ReadContext ctx, Node node, String what) {
    this.ctx = ctx;
    this.node = node;
    this.what = what;
  }

  /**
   * Reads a mapping whose keys must come from {@code allowed}; empty (with an error reported)
   * when the node is not a mapping.
   */
  static Optional<Fields> of(ReadContext ctx, Node node, String what, List<String> allowed) {
    if (!(node instanceof MappingNode mapping)) {
      ctx.error(SourcePos.of(ctx.file, node), what + " must be a mapping of keys to values, found " + shape(node));
      return Optional.empty();
    }
    Fields f = new Fields(ctx, node, what);
    for (NodeTuple t : mapping.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        ctx.error(SourcePos.of(ctx.file, t.getKeyNode()), what + ": keys must be plain words, found " + shape(t.getKeyNode()));
        continue;
      }
      if (f.entries.containsKey(key.getValue())) {
        ctx.error(SourcePos.of(ctx.file, key), what + ": key '" + key.getValue() + "' appears twice (first on line "
            + SourcePos.of(ctx.file, f.entries.get(key.getValue()).getKeyNode()).line() + ")");
        continue;
      }
      if (!allowed.contains(key.getValue())) {
        ctx.error(SourcePos.of(ctx.file, key), what + ": unknown key '" + key.getValue() + "'"
            + Suggest.hint(key.getValue(), allowed) + "; expected one of " + String.join(", ", allowed));
        continue;
      }
      f.entries.put(key.getValue(), t);
    }
    return Optional.of(f);
  }

  static String shape(Node n) {
    if (n instanceof MappingNode) return "a mapping";
    if (n instanceof SequenceNode) return "a list";
    if (n instanceof ScalarNode s) return s.getValue().isEmpty() ? "nothing" : "the value '" + abbreviate(s.getValue()) + "'";
    return "something else";
  }

  static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  String what() {
    return what;
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  SourcePos pos() {
    return SourcePos.of(ctx.file, node);
  }

  /** The position of a key's value, else of the mapping. */
  SourcePos pos(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? pos() : SourcePos.of(ctx.file, t.getValueNode());
  }

  Optional<Node> node(String key) {
    return Optional.ofNullable(entries.get(key)).map(NodeTuple::getValueNode);
  }

  /** A single value; reports lists, mappings and empty values. */
  Optional<String> text(String key) {
    Optional<Node> n = node(key);
    if (n.isEmpty()) return Optional.empty();
    if (n.get() instanceof ScalarNode s) {
      if (s.getValue().isEmpty() && s.getTag().getValue().endsWith(":null")) {
        ctx.error(pos(key), what + ": '" + key + "' has no value");
        return Optional.empty();
      }
      return Optional.of(s.getValue());
    }
    ctx.error(pos(key), what + ": '" + key + "' must be a single value, found " + shape(n.get()));
    return Optional.empty();
  }

  /** A single value that must be present. */
  Optional<String> requiredText(String key, String example) {
    if (!has(key)) {
      ctx.error(pos(), what + " has no '" + key + "' (expected e.g. " + key + ": " + example + ")");
      return Optional.empty();
    }
    return text(key);
  }

  /** A value parsed by {@code parser}; a parse failure is reported with the parser's message. */
  <T> Optional<T> parsed(String key, Function<String, T> parser) {
    Optional<String> raw = text(key);
    if (raw.isEmpty()) return Optional.empty();
    try {
      return Optional.of(parser.apply(raw.get()));
    } catch (IllegalArgumentException e) {
      ctx.error(pos(key), what + ": '" + key + "': " + e.getMessage());
      return Optional.empty();
    }
  }

  /** A value that must name one of {@code allowed} (via {@code parser}, empty when not allowed). */
  <T> Optional<T> choice(String key, Function<String, Optional<T>> parser, String expected) {
    Optional<String> raw = text(key);
    if (raw.isEmpty()) return Optional.empty();
    Optional<T> v = parser.apply(raw.get());
    if (v.isEmpty()) {
      ctx.error(pos(key), what + ": '" + key + "' is '" + abbreviate(raw.get()) + "', expected " + expected);
    }
    return v;
  }

  Optional<Boolean> bool(String key) {
    return choice(key, s -> {
      try {
        return Optional.of(io.vigil.model.AttributeKey.parseBoolean(s));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }, "true or false");
  }

  /** The items of a list; reports non-lists. */
  List<Node> list(String key) {
    Optional<Node> n = node(key);
    if (n.isEmpty()) return List.of();
    if (n.get() instanceof SequenceNode seq) return seq.getValue();
    if (n.get() instanceof ScalarNode s && s.getValue().isEmpty()) return List.of();
    ctx.error(pos(key), what + ": '" + key + "' must be a list, found " + shape(n.get()));
    return List.of();
  }

  /** A list of single values, e.g. {@code [a, b]}. */
  List<String> textList(String key) {
    List<String> out = new ArrayList<>();
    for (Node item : list(key)) {
      if (item instanceof ScalarNode s && !s.getValue().isEmpty()) {
        out.add(s.getValue());
      } else {
        ctx.error(SourcePos.of(ctx.file, item), what + ": items of '" + key + "' must be single values, found " + shape(item));
      }
    }
    return out;
  }

  /** A mapping of names to single values, in file order, with each entry's position. */
  Map<String, Located> textMap(String key) {
    Map<String, Located> out = new LinkedHashMap<>();
    Optional<Node> n = node(key);
    if (n.isEmpty()) return out;
    if (n.get() instanceof ScalarNode s && s.getValue().isEmpty()) return out;
    if (!(n.get() instanceof MappingNode m)) {
      ctx.error(pos(key), what + ": '" + key + "' must be a mapping of names to values, found " + shape(n.get()));
      return out;
    }
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k) || !(t.getValueNode() instanceof ScalarNode v)) {
        ctx.error(SourcePos.of(ctx.file, t.getKeyNode()),
            what + ": entries of '" + key + "' must be 'name: value', found " + shape(t.getValueNode()));
        continue;
      }
      if (out.containsKey(k.getValue())) {
        ctx.error(SourcePos.of(ctx.file, k), what + ": '" + key + "' names '" + k.getValue() + "' twice (first on line "
            + out.get(k.getValue()).keyPos().line() + ")");
        continue;
      }
      out.put(k.getValue(), new Located(v.getValue(), SourcePos.of(ctx.file, v), SourcePos.of(ctx.file, k)));
    }
    return out;
  }

  /** A value with where it was written (and where its key was). */
  record Located(String value, SourcePos pos, SourcePos keyPos) {}
}
