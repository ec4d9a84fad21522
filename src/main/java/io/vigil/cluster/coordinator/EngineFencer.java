package io.vigil.cluster.coordinator;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.device.DeviceFactory;
import io.vigil.fencing.Sleeper;
import io.vigil.fencing.topology.FenceOperation;
import io.vigil.fencing.topology.FencingEngine;
import io.vigil.model.ClusterConfig;
import java.time.Clock;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fences through the configuration's fencing topology (an automatic request, as the leader makes it). */
public final class EngineFencer implements Fencer {
  private static final Logger LOG = LoggerFactory.getLogger(EngineFencer.class);
  private final Supplier<Optional<ClusterConfig>> config;
  private final String requester;
  private final Clock clock;

  public EngineFencer(Supplier<Optional<ClusterConfig>> config, String requester, Clock clock) {
    this.config = config;
    this.requester = requester;
    this.clock = clock;
  }

  /**
   * An operator's explicit request ({@code vigil fence NODE}): run through {@code config}'s
   * topology from this node, whatever the quorum, pauses or maintenance say (as stonith_admin).
   */
  public static FenceOperation operatorFence(ClusterConfig config, String node, FenceAction action, String requester,
      String reason, Optional<java.time.Duration> timeout, Clock clock) throws InterruptedException {
    FencingEngine engine = new FencingEngine(config, DeviceFactory.system(), clock, Sleeper.REAL,
        new SplittableRandom(), line -> LOG.info("fencing: {}", line));
    return engine.fence(new FenceRequest(node, action, FenceRequest.Kind.OPERATOR, requester, reason, timeout));
  }

  @Override
  public String fence(String node, String reason) throws InterruptedException {
    Optional<ClusterConfig> c = config.get();
    if (c.isEmpty()) return "no configuration to fence with";
    FencingEngine engine = new FencingEngine(c.get(), DeviceFactory.system(), clock, Sleeper.REAL,
        new SplittableRandom(), line -> LOG.info("fencing: {}", line));
    FenceOperation op = engine.fence(new FenceRequest(node, FenceAction.REBOOT, FenceRequest.Kind.AUTOMATIC, requester,
        reason, Optional.empty()));
    return op.succeeded() ? null : op.summary();
  }
}
