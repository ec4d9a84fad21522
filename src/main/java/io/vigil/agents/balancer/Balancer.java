package io.vigil.agents.balancer;

import io.vigil.agents.balancer.health.HealthChecker;
import io.vigil.agents.balancer.health.Probe;
import io.vigil.agents.balancer.proxy.ProxyServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;

/**
 * A running virtual service in proxy mode: the engine, its health checker and the Netty proxy.
 * Start with {@link #start()}, stop with {@link #stop(Duration)} (graceful) or {@link #close()}.
 */
public final class Balancer implements AutoCloseable {
  private static final long DRAIN_POLL_MILLIS = 50;
  private final VirtualService vs;
  private final BalancerEngine engine;
  private final HealthChecker checker;
  private final ProxyServer proxy;
  private InetSocketAddress bound;

  /** Wires a virtual service with the system clock; events go to the consumer (history, log). */
  public Balancer(VirtualService vs, Consumer<BalancerEvent> events) {
    this(vs, events, InstantSource.system());
  }

  Balancer(VirtualService vs, Consumer<BalancerEvent> events, InstantSource clock) {
    if (vs.mode() != VirtualService.Mode.PROXY) {
      throw new IllegalArgumentException("virtual service " + vs.name() + " is in mode " + vs.mode()
          + "; only mode proxy runs in user space (use IpvsCommands for mode ipvs)");
    }
    this.vs = vs;
    this.engine = new BalancerEngine(vs, System::nanoTime, clock, events);
    List<HealthChecker.Target> targets = vs.check()
        .map(c -> vs.realServers().stream()
            .map(rs -> new HealthChecker.Target(rs.id(), rs.address(), Probe.forSpec(c.spec()), c.policy()))
            .toList())
        .orElse(List.of());
    this.checker = targets.isEmpty() ? null : new HealthChecker(targets, engine::onHealth, clock);
    this.proxy = new ProxyServer(vs.listen(), engine,
        new ProxyServer.Options(vs.proxy().threads(), vs.proxy().connectTimeout(), vs.proxy().transport(), 4096,
            vs.proxy().idleTimeout()));
  }

  /** Binds the listener and starts the checks; returns the bound address. */
  public InetSocketAddress start() throws InterruptedException {
    bound = proxy.start();
    if (checker != null) {
      checker.start();
    }
    return bound;
  }

  public BalancerEngine engine() {
    return engine;
  }

  public VirtualService service() {
    return vs;
  }

  /** The address the proxy listens on (after start). */
  public InetSocketAddress address() {
    return bound;
  }

  /** The proxy's transport: the configured one, or its fallback where that cannot run on this machine. */
  public ProxyServer.Transport transport() {
    return proxy.transport();
  }

  /** Whether the proxy's listening socket is open. */
  public boolean listening() {
    return proxy.listening();
  }

  /** What a graceful stop did. */
  public record Drained(int openAtStop, int closedAtTimeout, long millis) {}

  /**
   * Stops gracefully: the listener closes at once (no new connections); during up to {@code
   * drain} each open connection is closed once it has moved no bytes for {@code quiet} (an idle
   * keep-alive connection at once, a transfer when it ends or stalls), and whatever is still open
   * at the end is closed.
   */
  public Drained stop(Duration drain, Duration quiet) throws InterruptedException {
    long t0 = System.nanoTime();
    if (checker != null) {
      checker.close();
    }
    proxy.stopAccepting();
    int open = engine.openConnections();
    long deadline = t0 + drain.toNanos();
    int left = open;
    while (left > 0 && System.nanoTime() - deadline < 0) {
      proxy.closeQuietConnections(quiet);
      Thread.sleep(DRAIN_POLL_MILLIS);
      left = engine.openConnections();
    }
    proxy.close();
    return new Drained(open, left, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Stops at once: the listener and every proxied connection. */
  @Override
  public void close() {
    if (checker != null) {
      checker.close();
    }
    proxy.close();
  }
}
