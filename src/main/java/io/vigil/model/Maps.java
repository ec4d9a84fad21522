package io.vigil.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable, order-preserving copies for the model's maps (Map.copyOf loses order). */
final class Maps {
  private Maps() {}

  static <K, V> Map<K, V> copy(Map<K, V> map) {
    if (map == null || map.isEmpty()) return Map.of();
    LinkedHashMap<K, V> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(java.util.Objects.requireNonNull(k), java.util.Objects.requireNonNull(v)));
    return Collections.unmodifiableMap(copy);
  }
}
