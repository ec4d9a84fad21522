package io.vigil.fencing.topology;

import io.vigil.fencing.DeviceSettings;
import io.vigil.model.ClusterConfig;
import io.vigil.model.FencingLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fencing topology of a cluster, pure: for each node the ordered levels to try. Configured levels
 * (by node name or pattern; a name beats a pattern at the same index) win; without any, every device
 * that may fence the node becomes its own level, in configuration order, as Pacemaker tries them.
 */
public final class Topology {
  private final List<FencingLevel> levels;
  private final Map<String, DeviceSettings> devices;

  /**
   * @param devices every fence device's settings, by id, in configuration order
   */
  public Topology(List<FencingLevel> levels, Map<String, DeviceSettings> devices) {
    this.levels = List.copyOf(levels);
    this.devices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(devices));
  }

  public static Topology of(ClusterConfig config, Map<String, DeviceSettings> devices) {
    return new Topology(config.fencingLevels(), devices);
  }

  public Map<String, DeviceSettings> devices() {
    return devices;
  }

  /** The levels for {@code node}, in the order they are tried; empty when nothing can fence it. */
  public List<Level> plan(String node) {
    Map<Integer, FencingLevel> byIndex = new LinkedHashMap<>();
    for (FencingLevel l : levels) {
      boolean matches = l.targetIsPattern() ? matchesPattern(l.target(), node) : l.target().equals(node);
      if (!matches) continue;
      FencingLevel prior = byIndex.get(l.index());
      if (prior == null || (prior.targetIsPattern() && !l.targetIsPattern())) byIndex.put(l.index(), l);
    }
    if (!byIndex.isEmpty()) {
      return byIndex.values().stream().sorted(Comparator.comparingInt(FencingLevel::index))
          .map(l -> new Level(l.index(), l.devices(), true)).toList();
    }
    List<Level> implicit = new ArrayList<>();
    for (var e : devices.entrySet()) {
      if (e.getValue().staticallyFences(node).orElse(true)) implicit.add(new Level(implicit.size() + 1, List.of(e.getKey()), false));
    }
    return implicit;
  }

  private static boolean matchesPattern(String regex, String node) {
    try {
      return Pattern.compile(regex).matcher(node).matches();
    } catch (java.util.regex.PatternSyntaxException e) {
      return false;
    }
  }

  /** The settings of device {@code id}, if it is a known device. */
  public Optional<DeviceSettings> device(String id) {
    return Optional.ofNullable(devices.get(id));
  }
}
