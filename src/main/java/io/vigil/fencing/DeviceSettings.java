package io.vigil.fencing;

import io.vigil.model.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A device's mapping to nodes, delays, timeouts and retries, with Pacemaker's meanings.
 * Valid by construction: {@link #parse} rejects bad values with the device, key and expectation.
 */
public record DeviceSettings(
    Set<String> hostList,
    Map<String, String> hostMap,
    HostCheck hostCheck,
    Duration delayBase,
    Map<String, Duration> delayBasePerNode,
    Duration delayMax,
    Map<FenceAction, Duration> timeouts,
    Optional<Duration> defaultTimeout,
    Map<FenceAction, Integer> retries,
    int defaultRetries) {

  /** How the nodes a device can fence are determined. */
  public enum HostCheck {
    /** Only nodes in pcmk_host_list or pcmk_host_map. */
    STATIC_LIST,
    /** Nodes (ports) the device's {@code list} action reports. */
    DYNAMIC_LIST,
    /** Every node. */
    NONE
  }

  public DeviceSettings {
    hostList = Collections.unmodifiableSet(new LinkedHashSet<>(hostList));
    hostMap = Collections.unmodifiableMap(new LinkedHashMap<>(hostMap));
    delayBasePerNode = Collections.unmodifiableMap(new LinkedHashMap<>(delayBasePerNode));
    timeouts = Collections.unmodifiableMap(timeouts.isEmpty() ? Map.of() : new EnumMap<>(timeouts));
    retries = Collections.unmodifiableMap(retries.isEmpty() ? Map.of() : new EnumMap<>(retries));
  }

  /** Settings of a device with no pcmk_* parameters: dynamic-list check, no delays, 2 retries. */
  public static final DeviceSettings DEFAULTS = parse("device", Map.of());

  /**
   * Parses the {@code pcmk_*} parameters of device {@code id}.
   *
   * @throws IllegalArgumentException "fence device 'x': pcmk_host_map entry 'a' is not node:port ..."
   */
  public static DeviceSettings parse(String id, Map<String, String> params) {
    try {
      Set<String> list = new LinkedHashSet<>();
      for (String n : params.getOrDefault(FencingKeys.HOST_LIST.name(), "").split("[\\s,;]+")) {
        if (!n.isBlank()) list.add(n.strip());
      }
      Map<String, String> map = pairs(FencingKeys.HOST_MAP.name(), params.getOrDefault(FencingKeys.HOST_MAP.name(), ""),
          s -> s);
      String checkText = params.get(FencingKeys.HOST_CHECK.name());
      HostCheck check = checkText == null
          ? (list.isEmpty() && map.isEmpty() ? HostCheck.DYNAMIC_LIST : HostCheck.STATIC_LIST)
          : HostCheck.valueOf(FencingKeys.HOST_CHECK.parse(checkText).toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
      if (check == HostCheck.STATIC_LIST && list.isEmpty() && map.isEmpty()) {
        throw new IllegalArgumentException("pcmk_host_check is static-list but neither pcmk_host_list nor pcmk_host_map is set");
      }
      String base = params.getOrDefault(FencingKeys.DELAY_BASE.name(), "0s").strip();
      Duration delayBase = Duration.ZERO;
      Map<String, Duration> perNode = Map.of();
      if (base.contains(":") || base.contains("=")) {
        perNode = pairs(FencingKeys.DELAY_BASE.name(), base, Durations::parse);
      } else if (!base.isEmpty()) {
        delayBase = Durations.parse(base);
      }
      Duration delayMax = FencingKeys.DELAY_MAX.parse(params.getOrDefault(FencingKeys.DELAY_MAX.name(), "0s"));
      Map<FenceAction, Duration> timeouts = new EnumMap<>(FenceAction.class);
      Map<FenceAction, Integer> retries = new EnumMap<>(FenceAction.class);
      for (FenceAction a : FenceAction.values()) {
        String prefix = "pcmk_" + a.wire().replace('-', '_') + "_";
        String t = params.get(prefix + "timeout");
        if (t != null) timeouts.put(a, FencingKeys.ACTION_TIMEOUT.parse(t));
        String r = params.get(prefix + "retries");
        if (r != null) retries.put(a, FencingKeys.RETRIES.parse(r));
      }
      Optional<Duration> dflt = Optional.ofNullable(params.get(FencingKeys.ACTION_TIMEOUT.name()))
          .map(FencingKeys.ACTION_TIMEOUT::parse);
      int defaultRetries = FencingKeys.RETRIES.parse(params.getOrDefault(FencingKeys.RETRIES.name(), "2"));
      return new DeviceSettings(list, map, check, delayBase, perNode, delayMax, timeouts, dflt, retries, defaultRetries);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("fence device '" + id + "': " + e.getMessage(), e);
    }
  }

  private static <T> Map<String, T> pairs(String key, String text, java.util.function.Function<String, T> value) {
    Map<String, T> out = new LinkedHashMap<>();
    for (String entry : text.split("[;\\s]+")) {
      if (entry.isBlank()) continue;
      int i = entry.indexOf(':') >= 0 ? entry.indexOf(':') : entry.indexOf('=');
      if (i <= 0 || i == entry.length() - 1) {
        throw new IllegalArgumentException(key + " entry '" + entry + "' is not node:value (expected e.g. \"node1:1;node2:2\")");
      }
      out.put(entry.substring(0, i).strip(), value.apply(entry.substring(i + 1).strip()));
    }
    return out;
  }

  /** Whether the static configuration says this device can fence {@code node}; empty = ask the device (dynamic-list). */
  public Optional<Boolean> staticallyFences(String node) {
    return switch (hostCheck) {
      case NONE -> Optional.of(true);
      case STATIC_LIST -> Optional.of(hostList.contains(node) || hostMap.containsKey(node));
      case DYNAMIC_LIST -> Optional.empty();
    };
  }

  /** The port (plug) to send for {@code node}: its pcmk_host_map entry, else the node name. */
  public String portFor(String node) {
    return hostMap.getOrDefault(node, node);
  }

  /** Whether a dynamic {@code list} output names {@code node} (or its mapped port). */
  public boolean listedIn(String node, List<String> listedPorts) {
    return listedPorts.contains(portFor(node)) || listedPorts.contains(node);
  }

  /** The timeout for {@code action}: pcmk_&lt;action&gt;_timeout, else pcmk_action_timeout, else {@code clusterDefault}. */
  public Duration timeoutFor(FenceAction action, Duration clusterDefault) {
    return timeouts.getOrDefault(action, defaultTimeout.orElse(clusterDefault));
  }

  /** How many times a failed {@code action} is retried on this device. */
  public int retriesFor(FenceAction action) {
    return retries.getOrDefault(action, defaultRetries);
  }

  /**
   * The delay before fencing {@code node}, with Pacemaker's semantics: the static base (per node if mapped),
   * plus, when pcmk_delay_max exceeds the base, a random part so the sum stays within the maximum.
   */
  public Duration delayFor(String node, RandomGenerator random) {
    Duration base = delayBasePerNode.getOrDefault(node, delayBase);
    if (delayMax.compareTo(base) <= 0) return base;
    long spanMs = delayMax.minus(base).toMillis();
    return base.plusMillis(random.nextLong(spanMs + 1));
  }

  /** The names this device's list/map mention, for listings. */
  public List<String> configuredTargets() {
    List<String> out = new ArrayList<>(hostList);
    hostMap.keySet().stream().filter(n -> !out.contains(n)).forEach(out::add);
    return out;
  }
}
