package io.vigil.cluster.state;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Immutable copies with a fixed key order, so equal states encode to equal bytes. */
final class Sorted {
  private Sorted() {}

  static <V> Map<String, V> map(Map<String, V> m) {
    return m == null || m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
  }

  static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : List.copyOf(l);
  }

  static String text(String s) {
    return s == null ? "" : s;
  }
}
