package io.vigil.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each configured object (and each of its fields) was written, so checks that run on the
 * model can still point at file:line:column. Keys are {@code kind:id} and {@code kind:id.field}.
 */
public final class SourceMap {
  private final String file;
  private final Map<String, java.util.List<SourcePos>> positions = new HashMap<>();

  public SourceMap(String file) {
    this.file = file;
  }

  public String file() {
    return file;
  }

  void put(String kind, String id, SourcePos pos) {
    positions.computeIfAbsent(kind + ":" + id, k -> new java.util.ArrayList<>()).add(pos);
  }

  void put(String kind, String id, String field, SourcePos pos) {
    positions.computeIfAbsent(kind + ":" + id + "." + field, k -> new java.util.ArrayList<>()).add(pos);
  }

  /** Where the {@code n}-th (0-based) object of that kind and id was written, e.g. a duplicate. */
  public SourcePos nth(String kind, String id, int n) {
    var list = positions.get(kind + ":" + id);
    if (list == null || list.isEmpty()) return SourcePos.wholeFile(file);
    return list.get(Math.min(n, list.size() - 1));
  }

  /** The position of an object, or the whole file when unknown. */
  public SourcePos of(String kind, String id) {
    return nth(kind, id, 0);
  }

  /** The position of one field of an object, else of the object. */
  public SourcePos of(String kind, String id, String field) {
    var p = positions.get(kind + ":" + id + "." + field);
    return p != null && !p.isEmpty() ? p.getFirst() : of(kind, id);
  }
}
