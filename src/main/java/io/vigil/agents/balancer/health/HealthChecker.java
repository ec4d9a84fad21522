package io.vigil.agents.balancer.health;

import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each real server's probe every interval (fixed delay, so probes of one server never
 * overlap) and reports state changes through a listener. The decisions are in {@link HealthTracker}.
 */
public final class HealthChecker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  /** One checked real server. */
  public record Target(String serverId, InetSocketAddress address, Probe probe, CheckSpec.CheckPolicy policy) {}

  private final List<Target> targets;
  private final HealthTracker tracker;
  private final Consumer<HealthEvent> listener;
  private final InstantSource clock;
  private final ScheduledExecutorService executor;

  public HealthChecker(List<Target> targets, Consumer<HealthEvent> listener, InstantSource clock) {
    this.targets = List.copyOf(targets);
    Map<String, CheckSpec.CheckPolicy> policies = new LinkedHashMap<>();
    targets.forEach(t -> policies.put(t.serverId(), t.policy()));
    this.tracker = new HealthTracker(policies);
    this.listener = listener;
    this.clock = clock;
    this.executor = Executors.newScheduledThreadPool(Math.max(1, Math.min(4, targets.size())), r -> {
      Thread t = new Thread(r, "vigil-health-check");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts probing; the first probe of each server runs at once. */
  public void start() {
    for (Target t : targets) {
      executor.scheduleWithFixedDelay(() -> runOnce(t), 0, t.policy().interval().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void runOnce(Target t) {
    CheckResult result;
    try {
      result = t.probe().probe(t.address(), t.policy().timeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      result = CheckResult.failed("probe of " + t.address() + " threw " + e);
    }
    try {
      tracker.apply(t.serverId(), result, clock.instant()).ifPresent(listener);
    } catch (RuntimeException e) {
      // A failing listener must not cancel the periodic task (ScheduledExecutorService would).
      log.warn("health listener failed for real server {}: {}", t.serverId(), e.toString());
    }
  }

  /** Current state of a real server. */
  public HealthState state(String serverId) {
    return tracker.state(serverId);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
