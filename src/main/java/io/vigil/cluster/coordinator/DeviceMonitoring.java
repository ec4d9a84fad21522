package io.vigil.cluster.coordinator;

import io.vigil.cluster.raft.RaftAccess;
import io.vigil.cluster.state.ClusterState;
import io.vigil.cluster.state.Command;
import io.vigil.cluster.state.DeviceStatus;
import io.vigil.fencing.Sleeper;
import io.vigil.fencing.device.DeviceFactory;
import io.vigil.fencing.topology.DeviceHealth;
import io.vigil.fencing.topology.DeviceMonitor;
import io.vigil.fencing.topology.FencingEngine;
import io.vigil.model.ClusterConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence devices' recurring monitor, run by the leader only: every device whose configuration has a
 * recurring {@code monitor} operation is monitored at that interval ({@link FencingEngine#configuredMonitor});
 * when a device starts or stops failing, the leader records it ({@code record-device-health}), so every
 * node's {@code vigil status} shows it and the history has each change. A new leader starts the monitors
 * afresh; a configuration change rebuilds them.
 */
public final class DeviceMonitoring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceMonitoring.class);
  /** How often a follower checks whether it became the leader. */
  static final Duration IDLE = Duration.ofSeconds(1);
  private final RaftAccess raft;
  private final String node;
  private final Supplier<Optional<ClusterConfig>> config;
  private final DeviceFactory factory;
  private final Clock clock;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("vigil-device-monitor").unstarted(r));
  private long epoch = -1;
  private Optional<DeviceMonitor> monitor = Optional.empty();

  public DeviceMonitoring(RaftAccess raft, String node, Supplier<Optional<ClusterConfig>> config, DeviceFactory factory, Clock clock) {
    this.raft = raft;
    this.node = node;
    this.config = config;
    this.factory = factory;
    this.clock = clock;
  }

  public void start() {
    loop.execute(this::poll);
  }

  private void poll() {
    Duration wait = IDLE;
    try {
      if (!raft.info().isLeader()) {
        epoch = -1;
        monitor = Optional.empty();
        return;
      }
      long e = raft.localState().epoch();
      if (e != epoch) {
        epoch = e;
        monitor = config.get().flatMap(c -> new FencingEngine(c, factory, clock, Sleeper.REAL, new SplittableRandom(),
            line -> LOG.info("device monitor: {}", line)).configuredMonitor(clock));
      }
      if (monitor.isEmpty()) return;
      Instant next = monitor.get().pollDue();
      for (Command c : changes(raft.localState().status().devices(), monitor.get().health().values(), node, clock.millis())) {
        LOG.info("fence device {}", c);
        raft.submit(c).get(10, TimeUnit.SECONDS);
      }
      wait = Duration.between(clock.instant(), next);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception ex) {
      LOG.warn("device monitor step failed: {}", ex.toString());
    } finally {
      long ms = Math.clamp(wait.toMillis(), 100, IDLE.toMillis() * 60);
      if (!Thread.currentThread().isInterrupted()) {
        try {
          loop.schedule(this::poll, ms, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          // closed
        }
      }
    }
  }

  /**
   * What to record, pure: a device monitored at least once whose pass/fail differs from the recorded one (or
   * that is failing and not recorded at all). A device that keeps passing or keeps failing proposes nothing.
   */
  static List<Command> changes(Map<String, DeviceStatus> recorded, Collection<DeviceHealth> health, String node, long nowMillis) {
    List<Command> out = new ArrayList<>();
    for (DeviceHealth h : health) {
      if (h.lastRun().isEmpty()) continue;
      DeviceStatus old = recorded.get(h.device());
      boolean changed = old == null ? !h.ok() : old.ok() != h.ok();
      if (changed) {
        out.add(new Command.RecordDeviceHealth(h.device(), h.ok(), h.failures(), h.lastMessage(), node, "node:" + node, nowMillis));
      }
    }
    return out;
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
