package io.vigil.agents.providerip;

import io.vigil.agents.ip.ConfigKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads typed parameters from raw text, collecting every problem instead of stopping at the first. */
final class ParamReader {
  private final Map<String, String> raw;
  final List<String> problems = new ArrayList<>();

  ParamReader(Map<String, String> raw) {
    this.raw = raw;
  }

  <T> Optional<T> optional(ConfigKey<T> key) {
    String v = raw.get(key.name());
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(key.parse(v));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return Optional.empty();
    }
  }

  <T> T value(ConfigKey<T> key) {
    return optional(key).orElseGet(() -> key.defaultValue().orElse(null));
  }

  <T> Optional<T> required(ConfigKey<T> key, String why) {
    if (raw.get(key.name()) == null || raw.get(key.name()).isBlank()) {
      problems.add("missing required parameter '" + key.name() + "' (" + why + ")");
      return Optional.empty();
    }
    return optional(key);
  }

  void rejectUnknown(List<ConfigKey<?>> known) {
    List<String> names = known.stream().map(ConfigKey::name).toList();
    raw.keySet().stream().filter(k -> !names.contains(k)).sorted()
        .forEach(k -> problems.add("unknown parameter '" + k + "'"));
  }
}
