package io.vigil.fencing.topology;

import io.vigil.fencing.DeviceSettings;
import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceDevice;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.FenceResult;
import io.vigil.fencing.Sleeper;
import io.vigil.fencing.device.DeviceFactory;
import io.vigil.model.ClusterConfig;
import io.vigil.model.ClusterProperties;
import io.vigil.model.Primitive;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A standalone fencing engine for one configuration: its devices, topology, executor and history. The CLI uses
 * it to fence from this host; the cluster runtime will wrap the same pieces behind its replicated API.
 * A device that cannot be built (missing agent, unreadable secret) is kept out and its error reported.
 */
public final class FencingEngine {
  private final ClusterConfig config;
  private final Map<String, Primitive> primitives = new LinkedHashMap<>();
  private final Map<String, FenceDevice> devices = new LinkedHashMap<>();
  private final Map<String, String> deviceErrors = new LinkedHashMap<>();
  private final Topology topology;
  private final TopologyExecutor executor;
  private final FenceHistory history = new FenceHistory(1000);
  private final Duration defaultTimeout;
  private final DeviceMonitor monitor;

  public FencingEngine(ClusterConfig config, DeviceFactory factory, Clock clock, Sleeper sleeper, RandomGenerator random,
      Consumer<String> log) {
    this.config = config;
    this.defaultTimeout = config.properties().getOrDefault(ClusterProperties.FENCING_TIMEOUT);
    Map<String, DeviceSettings> settings = new LinkedHashMap<>();
    for (Primitive p : DeviceFactory.devicesOf(config)) {
      primitives.put(p.id(), p);
      try {
        FenceDevice d = factory.create(p);
        devices.put(p.id(), d);
        settings.put(p.id(), d.settings());
      } catch (IllegalArgumentException e) {
        deviceErrors.put(p.id(), e.getMessage());
        try {
          settings.put(p.id(), DeviceSettings.parse(p.id(), p.params()));
        } catch (IllegalArgumentException bad) {
          // its settings are broken too: the topology will not offer it
        }
      }
    }
    this.topology = Topology.of(config, settings);
    this.executor = new TopologyExecutor(topology, devices, clock, sleeper, random, defaultTimeout, log);
    Map<String, Duration> intervals = new LinkedHashMap<>();
    for (Primitive p : primitives.values()) {
      p.operations().stream().filter(o -> o.name().equals("monitor") && o.isRecurring()).findFirst()
          .ifPresent(o -> intervals.put(p.id(), o.interval()));
    }
    this.monitor = new DeviceMonitor(devices, intervals, clock, defaultTimeout);
  }

  /** The recurring monitor of every usable device (interval from its monitor operation, else 60s). */
  public DeviceMonitor monitor() {
    return monitor;
  }

  /**
   * A recurring monitor of only the usable devices that configure one ({@code operations: [{name: monitor,
   * interval: 60s}]}), at that interval, as Pacemaker monitors stonith resources; empty if none does.
   */
  public Optional<DeviceMonitor> configuredMonitor(Clock clock) {
    Map<String, FenceDevice> monitored = new LinkedHashMap<>();
    Map<String, Duration> intervals = new LinkedHashMap<>();
    for (Primitive p : primitives.values()) {
      if (!devices.containsKey(p.id())) continue;
      p.operations().stream().filter(o -> o.name().equals("monitor") && o.isRecurring()).findFirst().ifPresent(o -> {
        monitored.put(p.id(), devices.get(p.id()));
        intervals.put(p.id(), o.interval());
      });
    }
    return monitored.isEmpty() ? Optional.empty() : Optional.of(new DeviceMonitor(monitored, intervals, clock, defaultTimeout));
  }

  public Topology topology() {
    return topology;
  }

  public Map<String, Primitive> primitives() {
    return primitives;
  }

  /** Devices that could not be built, with why; they are never used. */
  public Map<String, String> deviceErrors() {
    return deviceErrors;
  }

  public Optional<FenceDevice> device(String id) {
    return Optional.ofNullable(devices.get(id));
  }

  public FenceHistory history() {
    return history;
  }

  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /** Coverage findings: nodes that no device can fence (errors, or warnings when fencing is disabled). */
  public List<CoverageCheck.Finding> coverage() {
    return CoverageCheck.check(config, topology);
  }

  /**
   * Fences a configured node through its topology and records the operation.
   *
   * @throws IllegalArgumentException when {@code req} names a node the configuration does not have
   */
  public FenceOperation fence(FenceRequest req) throws InterruptedException {
    if (config.node(req.target()).isEmpty()) {
      throw new IllegalArgumentException("node '" + req.target() + "' is not in cluster '" + config.name() + "' (nodes: "
          + String.join(", ", config.nodes().stream().map(io.vigil.model.Node::name).toList()) + ")");
    }
    FenceOperation op = executor.fence(req);
    history.record(op);
    return op;
  }

  /**
   * Checks a device without fencing: {@code monitor}, then {@code status} for each node it statically fences
   * (or only {@code node} when given). Results in order, labelled "monitor" or "status NODE".
   */
  public Map<String, FenceResult> test(String deviceId, Optional<String> node) throws InterruptedException {
    FenceDevice d = devices.get(deviceId);
    if (d == null) {
      String why = deviceErrors.get(deviceId);
      throw new IllegalArgumentException(why != null ? why : "no fence device '" + deviceId + "' in cluster '"
          + config.name() + "' (devices: " + String.join(", ", primitives.keySet()) + ")");
    }
    Map<String, FenceResult> out = new LinkedHashMap<>();
    out.put("monitor", d.run(FenceAction.MONITOR, null, d.settings().timeoutFor(FenceAction.MONITOR, defaultTimeout)));
    List<String> nodes = new ArrayList<>();
    if (node.isPresent()) {
      nodes.add(node.get());
    } else {
      for (var n : config.nodes()) if (d.settings().staticallyFences(n.name()).orElse(false)) nodes.add(n.name());
    }
    for (String n : nodes) {
      out.put("status " + n, d.run(FenceAction.STATUS, n, d.settings().timeoutFor(FenceAction.STATUS, defaultTimeout)));
    }
    return out;
  }
}
