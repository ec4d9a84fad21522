package io.vigil.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The known keys of one kind of attribute set, in documentation order, with legacy aliases
 * (e.g. {@code stonith-enabled} for {@code fencing-enabled}).
 */
public final class KeyRegistry {
  private final String kind;
  private final Map<String, AttributeKey<?>> keys = new LinkedHashMap<>();
  private final Map<String, String> aliases = new LinkedHashMap<>();

  KeyRegistry(String kind, List<AttributeKey<?>> keys, Map<String, String> aliases) {
    this.kind = kind;
    keys.forEach(k -> this.keys.put(k.name(), k));
    this.aliases.putAll(aliases);
  }

  /** What these keys are, e.g. "resource meta attribute". */
  public String kind() {
    return kind;
  }

  public List<AttributeKey<?>> keys() {
    return List.copyOf(keys.values());
  }

  public Map<String, String> aliases() {
    return Collections.unmodifiableMap(aliases);
  }

  /** The key for a name or one of its legacy aliases. */
  public Optional<AttributeKey<?>> find(String name) {
    AttributeKey<?> k = keys.get(name);
    if (k == null && aliases.containsKey(name)) k = keys.get(aliases.get(name));
    return Optional.ofNullable(k);
  }

  /**
   * Validates and canonicalises a whole set; keys become their canonical names.
   *
   * @throws IllegalArgumentException for the first unknown key or bad value
   */
  Map<String, String> canonicalise(Map<String, String> raw) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach((name, value) -> {
      AttributeKey<?> key = find(name).orElseThrow(() -> new IllegalArgumentException(
          "unknown " + kind + " '" + name + "'"));
      out.put(key.name(), key.canonical(value));
    });
    return Collections.unmodifiableMap(out);
  }
}
