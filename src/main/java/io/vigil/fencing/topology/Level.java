package io.vigil.fencing.topology;

import java.util.List;

/**
 * One level of a node's topology: every device must succeed.
 *
 * @param index 1..9 for configured levels; implicit levels (no topology configured) are numbered in order
 * @param explicit whether the level comes from the configuration's {@code fencing.levels}
 */
public record Level(int index, List<String> devices, boolean explicit) {
  public Level {
    devices = List.copyOf(devices);
    if (devices.isEmpty()) throw new IllegalArgumentException("level " + index + " has no devices");
  }
}
