package io.vigil.agents.balancer.agent;

import io.vigil.agents.balancer.Balancer;
import io.vigil.agents.balancer.BalancerEvent;
import io.vigil.agents.balancer.VirtualService;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The virtual services this vigild runs, by resource instance. One per daemon, shared by the
 * {@code builtin:balancer} agent (start/stop/monitor) and the daemon's status and metrics. Start is
 * idempotent: the same configuration already running is left alone (one listener), a changed one
 * replaces it. The state lives only in this JVM: a restarted daemon runs nothing, and its probes say so.
 */
public final class RunningBalancers implements AutoCloseable {
  private final Map<String, Entry> byResource = new TreeMap<>();
  private final BiConsumer<String, BalancerEvent> events;
  private final InstantSource clock;

  private record Entry(String resource, String configText, Balancer balancer, long startedMillis) {}

  /** What {@link #start} did. */
  public enum Started {
    STARTED,
    ALREADY_RUNNING,
    RESTARTED_WITH_NEW_CONFIGURATION
  }

  /** Health and weight events go to {@code events} with the resource that produced them. */
  public RunningBalancers(BiConsumer<String, BalancerEvent> events, InstantSource clock) {
    this.events = events;
    this.clock = clock;
  }

  /**
   * Runs {@code vs} as {@code resource} unless the same configuration text already runs there.
   *
   * @throws IllegalStateException if the listener cannot bind (the message names the address)
   */
  public synchronized Started start(String resource, String configText, VirtualService vs) throws InterruptedException {
    Entry old = byResource.get(resource);
    if (old != null && old.configText().equals(configText) && old.balancer().listening()) return Started.ALREADY_RUNNING;
    if (old != null) {
      // The old listener holds the address: it goes first, its connections with it.
      byResource.remove(resource);
      old.balancer().close();
    }
    Balancer b = new Balancer(vs, e -> events.accept(resource, e));
    try {
      b.start();
    } catch (RuntimeException | InterruptedException e) {
      b.close();
      throw e;
    }
    byResource.put(resource, new Entry(resource, configText, b, clock.millis()));
    return old == null ? Started.STARTED : Started.RESTARTED_WITH_NEW_CONFIGURATION;
  }

  /**
   * Stops {@code resource} gracefully ({@link Balancer#stop}): its listener closes at once, its
   * connections get up to {@code maxDrain} (and the service's own drain timeout, whichever is
   * shorter). Empty if it was not running. The drain runs outside this object's lock, so status
   * and other resources' starts and stops do not wait for it.
   */
  public Optional<Balancer.Drained> stop(String resource, Duration maxDrain) throws InterruptedException {
    Entry e;
    synchronized (this) {
      e = byResource.remove(resource);
    }
    if (e == null) return Optional.empty();
    var proxy = e.balancer().service().proxy();
    Duration own = proxy.drainTimeout();
    return Optional.of(e.balancer().stop(own.compareTo(maxDrain) < 0 ? own : maxDrain, proxy.drainQuiet()));
  }

  /** Passes an event of a service run elsewhere (mode ipvs) to the same history and log. */
  public void report(String resource, BalancerEvent e) {
    events.accept(resource, e);
  }

  /** The counters of {@code resource}, if it runs here. */
  public synchronized Optional<BalancerSnapshot> snapshot(String resource) {
    return Optional.ofNullable(byResource.get(resource)).map(RunningBalancers::snapshotOf);
  }

  /** The counters of every virtual service running here, by resource name. */
  public synchronized List<BalancerSnapshot> snapshots() {
    List<BalancerSnapshot> out = new ArrayList<>();
    for (Entry e : byResource.values()) out.add(snapshotOf(e));
    return out;
  }

  private static BalancerSnapshot snapshotOf(Entry e) {
    Balancer b = e.balancer();
    InetSocketAddress a = b.address();
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    String listen = (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    return new BalancerSnapshot(e.resource(), b.service().name(), listen, b.listening(), e.startedMillis(), b.engine().status());
  }

  /** Stops every virtual service (daemon shutdown). */
  @Override
  public synchronized void close() {
    byResource.values().forEach(e -> e.balancer().close());
    byResource.clear();
  }
}
