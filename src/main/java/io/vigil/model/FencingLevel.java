package io.vigil.model;

import java.util.List;
import java.util.Objects;

/**
 * One level of a node's fencing topology: every device must succeed; levels are tried by index.
 *
 * @param target the node name (or, with {@code targetIsPattern}, a regular expression over names)
 * @param index 1..9
 * @param devices ids of stonith-class primitives
 */
public record FencingLevel(String target, boolean targetIsPattern, int index, List<String> devices) {
  public FencingLevel {
    Objects.requireNonNull(target);
    if (index < 1 || index > 9) {
      throw new IllegalArgumentException("fencing level for '" + target + "' has index " + index + " (expected 1..9)");
    }
    devices = List.copyOf(devices);
    if (devices.isEmpty()) throw new IllegalArgumentException("fencing level " + index + " for '" + target + "' has no devices");
  }
}
