package io.vigil.agents.balancer.ipvs;

import io.vigil.agents.balancer.BalancerEvent;
import io.vigil.agents.balancer.VirtualService;
import io.vigil.agents.balancer.health.HealthChecker;
import io.vigil.agents.balancer.health.HealthEvent;
import io.vigil.agents.balancer.health.HealthState;
import io.vigil.agents.balancer.health.Probe;
import java.io.IOException;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual service in mode ipvs, running: the kernel forwards, this object keeps the kernel's table
 * in step with the health checks, as keepalived's checkers do. Start programs the service with every
 * real server (they start up, as in proxy mode) and starts the checks; a server that fails its checks
 * is removed ({@code -d}) or quiesced ({@code -e -w 0}) and put back when it passes again; a weight
 * from a dynamic check is written with {@code -e}; the sorry server enters when no real server is up
 * and leaves when one is. A command that fails is logged and remembered, and {@link #problem()} reports
 * it (the monitor fails, the cluster recovers the resource).
 */
public final class IpvsService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IpvsService.class);
  private final VirtualService vs;
  private final CommandRunner runner;
  private final Consumer<BalancerEvent> events;
  private final InstantSource clock;
  private final HealthChecker checker;
  private final Map<String, Boolean> up = new HashMap<>();
  private final Map<String, Integer> weights = new HashMap<>();
  private boolean onSorry;
  private String failure;

  public IpvsService(VirtualService vs, CommandRunner runner, Consumer<BalancerEvent> events, InstantSource clock) {
    if (vs.mode() != VirtualService.Mode.IPVS) throw new IllegalArgumentException("virtual service " + vs.name() + " is not in mode ipvs");
    this.vs = vs;
    this.runner = runner;
    this.events = events;
    this.clock = clock;
    for (VirtualService.RealServerSpec rs : vs.realServers()) {
      up.put(rs.id(), true);
      weights.put(rs.id(), rs.weight());
    }
    List<HealthChecker.Target> targets = vs.check()
        .map(c -> vs.realServers().stream()
            .map(rs -> new HealthChecker.Target(rs.id(), rs.address(), Probe.forSpec(c.spec()), c.policy())).toList())
        .orElse(List.of());
    this.checker = targets.isEmpty() ? null : new HealthChecker(targets, this::onHealth, clock);
  }

  public VirtualService service() {
    return vs;
  }

  /** Programs the service (all-or-nothing, {@link IpvsApplier}) and starts the checks. */
  public synchronized void start() throws IOException, InterruptedException {
    new IpvsApplier(runner).create(vs);
    if (checker != null) checker.start(); // no health event before this: the table is complete when the first arrives
  }

  /** A health change: the kernel's table follows it. Runs on a checker thread. */
  void onHealth(HealthEvent e) {
    synchronized (this) {
      VirtualService.RealServerSpec rs = spec(e.serverId());
      if (e.weight().isPresent() && e.weight().getAsInt() != weights.get(rs.id())) {
        int from = weights.put(rs.id(), e.weight().getAsInt());
        if (up.get(rs.id())) run(IpvsCommands.editRealServer(vs, rs, e.weight().getAsInt()));
        events.accept(new BalancerEvent.WeightChanged(vs.name(), rs.id(), from, e.weight().getAsInt(), e.detail(), e.at()));
      }
      if (!e.stateChanged()) return;
      boolean nowUp = e.to() == HealthState.UP;
      up.put(rs.id(), nowUp);
      run(IpvsCommands.onHealthChange(vs, rs, nowUp, weights.get(rs.id())));
      events.accept(nowUp ? new BalancerEvent.RealServerUp(vs.name(), rs.id(), e.detail(), e.at())
          : new BalancerEvent.RealServerDown(vs.name(), rs.id(), vs.onFailure(), e.detail(), e.at()));
      // the real server is back in the table before the sorry server leaves it: never an empty table
      if (nowUp == onSorry) sorry(!nowUp);
    }
  }

  /** No real server up ({@code in}) or one back: the sorry server (if configured) enters or leaves the kernel's table. */
  private void sorry(boolean in) {
    if (in && up.containsValue(true)) return;
    if (vs.sorryServer().isPresent()) run(IpvsCommands.sorryServer(vs, in));
    onSorry = in;
    events.accept(in ? new BalancerEvent.SorryServerActive(vs.name(), VirtualService.DEFAULT_POOL, vs.sorryServer().isPresent(), clock.instant())
        : new BalancerEvent.SorryServerInactive(vs.name(), VirtualService.DEFAULT_POOL, clock.instant()));
  }

  private VirtualService.RealServerSpec spec(String id) {
    return vs.realServers().stream().filter(r -> r.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("health event for unknown real server '" + id + "' of " + vs.name()));
  }

  private void run(List<String> argv) {
    try {
      runner.run(argv);
    } catch (IOException e) {
      failure = e.getMessage();
      log.warn("virtual service {}: {}", vs.name(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = String.join(" ", argv) + ": interrupted";
    }
  }

  /** Null while the kernel's table follows the checks; else the last command that failed. */
  public synchronized String problem() {
    return failure;
  }

  /** Whether each real server is up by its checks (true without checks). */
  public synchronized Map<String, Boolean> health() {
    return Map.copyOf(up);
  }

  /**
   * Stops the checks (waiting for one in progress), so the kernel's table changes no more; the service
   * stays in it: removing it is the owner's decision (a stop removes it, a daemon shutdown leaves it forwarding).
   */
  @Override
  public void close() {
    if (checker != null) checker.close();
  }
}
