package io.vigil.fencing.topology;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs each device's recurring {@code monitor} when it is due. No thread of its own: the caller (the runtime's
 * loop, or a test) calls {@link #pollDue} and waits until the returned deadline, like Kafka's raft poll().
 */
public final class DeviceMonitor {
  /** Pacemaker's default for stonith monitors. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
  private final Map<String, FenceDevice> devices;
  private final Map<String, DeviceHealth> health = new LinkedHashMap<>();
  private final Clock clock;
  private final Duration defaultTimeout;

  /**
   * @param intervals monitor interval per device id; devices without one use {@link #DEFAULT_INTERVAL}
   */
  public DeviceMonitor(Map<String, FenceDevice> devices, Map<String, Duration> intervals, Clock clock, Duration defaultTimeout) {
    this.devices = new LinkedHashMap<>(devices);
    this.clock = clock;
    this.defaultTimeout = defaultTimeout;
    Instant now = clock.instant();
    devices.keySet().forEach(id -> health.put(id, DeviceHealth.initial(id, intervals.getOrDefault(id, DEFAULT_INTERVAL), now)));
  }

  /** Monitors every due device (one after the other) and returns when the next one is due. */
  public synchronized Instant pollDue() throws InterruptedException {
    for (var e : devices.entrySet()) {
      DeviceHealth h = health.get(e.getKey());
      if (!h.due(clock.instant())) continue;
      FenceDevice d = e.getValue();
      FenceResult r = d.run(FenceAction.MONITOR, null, d.settings().timeoutFor(FenceAction.MONITOR, defaultTimeout));
      health.put(e.getKey(), h.after(r, clock.instant()));
    }
    return health.values().stream().map(DeviceHealth::nextDue).min(Instant::compareTo).orElse(clock.instant().plus(DEFAULT_INTERVAL));
  }

  /** Every device's health, in configuration order. */
  public synchronized Map<String, DeviceHealth> health() {
    return Map.copyOf(health);
  }
}
