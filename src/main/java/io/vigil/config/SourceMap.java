package io.vigil.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each configured object (and each of its fields) was written, so checks that run on the
 * model can still point at file:line:column. Keys are {@code kind:id} and {@code kind:id.field}.
 */
public final class SourceMap {
  private final String file;
  private final Map<String, SourcePos> positions = new HashMap<>();

  public SourceMap(String file) {
    this.file = file;
  }

  public String file() {
    return file;
  }

  void put(String kind, String id, SourcePos pos) {
    positions.putIfAbsent(kind + ":" + id, pos);
  }

  void put(String kind, String id, String field, SourcePos pos) {
    positions.putIfAbsent(kind + ":" + id + "." + field, pos);
  }

  /** The position of an object, or the whole file when unknown. */
  public SourcePos of(String kind, String id) {
    return positions.getOrDefault(kind + ":" + id, SourcePos.wholeFile(file));
  }

  /** The position of one field of an object, else of the object. */
  public SourcePos of(String kind, String id, String field) {
    SourcePos p = positions.get(kind + ":" + id + "." + field);
    return p != null ? p : of(kind, id);
  }
}
