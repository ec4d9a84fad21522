package io.vigil.agents.ip;

import io.vigil.model.Durations;

import java.util.Optional;
import java.util.function.Function;

/**
 * One resource parameter: its name, typed default (empty when the parameter is required or has no
 * default), a doc line for {@code vigil config defaults}, and the parser that validates raw text.
 */
public record ConfigKey<T>(
    String name, Optional<T> defaultValue, String doc, Function<String, T> parser) {

  /** Parses {@code raw}; a parser failure becomes "NAME: reason". */
  public T parse(String raw) {
    try {
      return parser.apply(raw);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /** Default rendered for documentation, or "(none)". */
  public String defaultText() {
    return defaultValue
        .map(v -> v instanceof java.time.Duration d ? Durations.format(d) : String.valueOf(v))
        .orElse("(none)");
  }
}
