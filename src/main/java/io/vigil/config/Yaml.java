package io.vigil.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Small helpers over snakeyaml-engine nodes. */
final class Yaml {
  private Yaml() {}

  /** Which of {@code kinds} is a key of this mapping (the first found), if any. */
  static Optional<String> kindKey(Node node, String... kinds) {
    if (!(node instanceof MappingNode m)) return Optional.empty();
    for (String kind : kinds) {
      boolean present = m.getValue().stream()
          .anyMatch(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(kind));
      if (present) return Optional.of(kind);
    }
    return Optional.empty();
  }

  /** The single value under {@code key} of a mapping, for naming an object in messages. */
  static Optional<String> scalar(Node node, String key) {
    if (!(node instanceof MappingNode m)) return Optional.empty();
    return m.getValue().stream()
        .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
        .map(t -> t.getValueNode() instanceof ScalarNode v ? v.getValue() : null)
        .filter(v -> v != null && !v.isEmpty())
        .findFirst();
  }
}
