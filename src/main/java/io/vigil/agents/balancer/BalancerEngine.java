package io.vigil.agents.balancer;

import io.vigil.agents.balancer.health.HealthEvent;
import io.vigil.agents.balancer.health.HealthState;
import io.vigil.agents.balancer.proxy.Backend;
import io.vigil.agents.balancer.proxy.BackendSelector;
import io.vigil.agents.balancer.proxy.ConnectionCounters;
import io.vigil.agents.balancer.sched.ConnKey;
import io.vigil.agents.balancer.sched.Overload;
import io.vigil.agents.balancer.sched.PersistenceTable;
import io.vigil.agents.balancer.sched.RealServer;
import io.vigil.agents.balancer.sched.Scheduler;
import io.vigil.agents.balancer.sched.Schedulers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Decides where each new connection of one virtual service goes: source rule to pool, then
 * persistence, then the pool's scheduler over the servers that are up (or quiesced), then the
 * sorry server. Health events and weight changes update its state and are reported as
 * {@link BalancerEvent}s. One lock serialises decisions; they are short and allocation-light.
 */
public final class BalancerEngine implements BackendSelector {
  /** The pool name status gives the sorry server. */
  public static final String SORRY_POOL = "sorry";

  private final VirtualService vs;
  private final Map<String, ServerState> servers = new LinkedHashMap<>();
  private final Map<String, Scheduler> schedulers = new LinkedHashMap<>();
  private final Optional<PersistenceTable> persistence;
  private final Optional<Backend> sorry;
  private final Set<String> poolsOnSorry = new HashSet<>();
  private final LongSupplier nanoTicker;
  private final InstantSource clock;
  private final Consumer<BalancerEvent> events;

  private static final class ServerState {
    final VirtualService.RealServerSpec spec;
    final ConnectionCounters counters = new ConnectionCounters();
    HealthState health = HealthState.UP;
    int weight;
    boolean overloaded;

    ServerState(VirtualService.RealServerSpec spec) {
      this.spec = spec;
      this.weight = spec.weight();
    }
  }

  public BalancerEngine(VirtualService vs, LongSupplier nanoTicker, InstantSource clock, Consumer<BalancerEvent> events) {
    this.vs = vs;
    this.nanoTicker = nanoTicker;
    this.clock = clock;
    this.events = events;
    for (VirtualService.RealServerSpec rs : vs.realServers()) {
      ServerState s = new ServerState(rs);
      if (vs.check().isPresent() && vs.check().get().policy().startDown()) {
        s.health = HealthState.DOWN;
      }
      servers.put(rs.id(), s);
      schedulers.computeIfAbsent(rs.pool(), p -> Schedulers.create(vs.scheduler(), vs.schedulerOptions(), nanoTicker));
    }
    this.persistence = vs.persistence().map(p -> new PersistenceTable(p.timeout(), p.ipv4Prefix(), p.ipv6Prefix()));
    this.sorry = vs.sorryServer().map(a -> new Backend("sorry " + a.getHostString() + ":" + a.getPort(), a, new ConnectionCounters(), () -> {}));
  }

  @Override
  public Optional<Backend> select(InetSocketAddress client, InetSocketAddress local) {
    InetAddress clientAddr = client.getAddress();
    String pool = poolFor(clientAddr);
    Optional<Backend> chosen;
    synchronized (this) {
      List<RealServer> views = views(pool);
      long now = nanoTicker.getAsLong();
      Optional<String> id = persistence.flatMap(t -> t.lookup(clientAddr, now)).filter(p -> usable(p, views));
      if (id.isEmpty()) {
        id = schedulers.get(pool).select(views, new ConnKey(clientAddr, client.getPort(), local.getAddress())).map(RealServer::id);
        id.ifPresent(s -> persistence.ifPresent(t -> t.record(clientAddr, s, now)));
      }
      maybeReportSorry(pool, id.isEmpty());
      chosen = id.map(s -> backend(servers.get(s), clientAddr));
    }
    return chosen.isPresent() ? chosen : sorry;
  }

  /** The pool of the first source rule that matches the client, else the default pool. */
  String poolFor(InetAddress client) {
    for (VirtualService.SourceRule rule : vs.sourceRules()) {
      for (Cidr net : rule.networks()) {
        if (net.contains(client)) {
          return rule.pool();
        }
      }
    }
    return VirtualService.DEFAULT_POOL;
  }

  /** Scheduler views of a pool: servers that are up, plus failed ones at weight 0 when quiescing. */
  private List<RealServer> views(String pool) {
    List<RealServer> out = new ArrayList<>();
    for (ServerState s : servers.values()) {
      if (!s.spec.pool().equals(pool)) {
        continue;
      }
      boolean down = s.health == HealthState.DOWN;
      if (down && vs.onFailure() == VirtualService.OnFailure.REMOVE) {
        continue;
      }
      int active = s.counters.active();
      int inactive = s.counters.inactive();
      s.overloaded = Overload.next(s.overloaded, s.spec.upperThreshold(), s.spec.lowerThreshold(), active + inactive);
      out.add(new RealServer(s.spec.id(), down ? 0 : s.weight, active, inactive, s.overloaded));
    }
    return out;
  }

  /** A persistent binding is honoured while its server is up and not overloaded, even at weight 0 (as IPVS). */
  private boolean usable(String id, List<RealServer> views) {
    ServerState s = servers.get(id);
    return s != null && s.health == HealthState.UP && !s.overloaded
        && views.stream().anyMatch(v -> v.id().equals(id));
  }

  private Backend backend(ServerState s, InetAddress client) {
    Runnable onClose = persistence.isEmpty() ? () -> {} : () -> {
      synchronized (this) {
        persistence.get().touch(client, nanoTicker.getAsLong());
      }
    };
    return new Backend(s.spec.id(), s.spec.address(), s.counters, onClose);
  }

  private void maybeReportSorry(String pool, boolean noServer) {
    if (noServer && poolsOnSorry.add(pool)) {
      events.accept(new BalancerEvent.SorryServerActive(vs.name(), pool, sorry.isPresent(), clock.instant()));
    } else if (!noServer && poolsOnSorry.remove(pool)) {
      events.accept(new BalancerEvent.SorryServerInactive(vs.name(), pool, clock.instant()));
    }
  }

  /** Applies a health checker's event: state change and/or dynamic weight. */
  public void onHealth(HealthEvent e) {
    List<BalancerEvent> out = new ArrayList<>();
    synchronized (this) {
      ServerState s = servers.get(e.serverId());
      if (s == null) {
        throw new IllegalArgumentException("health event for unknown real server '" + e.serverId() + "' of " + vs.name());
      }
      if (e.weight().isPresent() && e.weight().getAsInt() != s.weight) {
        out.add(new BalancerEvent.WeightChanged(vs.name(), s.spec.id(), s.weight, e.weight().getAsInt(), e.detail(), e.at()));
        s.weight = e.weight().getAsInt();
      }
      if (e.stateChanged()) {
        s.health = e.to();
        if (e.to() == HealthState.DOWN) {
          persistence.ifPresent(t -> t.forget(s.spec.id()));
          out.add(new BalancerEvent.RealServerDown(vs.name(), s.spec.id(), vs.onFailure(), e.detail(), e.at()));
        } else {
          out.add(new BalancerEvent.RealServerUp(vs.name(), s.spec.id(), e.detail(), e.at()));
        }
      }
    }
    out.forEach(events);
  }

  /** Sets a real server's weight; 0 drains it (existing connections continue, no new ones). */
  public void setWeight(String serverId, int weight, String reason) {
    if (weight < 0) {
      throw new IllegalArgumentException("weight of " + serverId + " must be >= 0, got " + weight);
    }
    BalancerEvent e;
    synchronized (this) {
      ServerState s = servers.get(serverId);
      if (s == null) {
        throw new IllegalArgumentException("virtual service " + vs.name() + " has no real server '" + serverId + "', known: " + servers.keySet());
      }
      e = new BalancerEvent.WeightChanged(vs.name(), serverId, s.weight, weight, reason, clock.instant());
      s.weight = weight;
    }
    events.accept(e);
  }

  /** Live counters of every real server, then the sorry server if configured. */
  public synchronized List<ServerStatus> status() {
    List<ServerStatus> out = new ArrayList<>();
    for (ServerState s : servers.values()) {
      var c = s.counters.snapshot();
      out.add(new ServerStatus(s.spec.id(), s.spec.pool(), s.health, s.weight, s.overloaded,
          c.active(), c.inactive(), c.connections(), c.failedConnects(), c.bytesIn(), c.bytesOut()));
    }
    sorry.ifPresent(b -> {
      var c = b.counters().snapshot();
      out.add(new ServerStatus(b.serverId(), SORRY_POOL, HealthState.UP, 1, false,
          c.active(), c.inactive(), c.connections(), c.failedConnects(), c.bytesIn(), c.bytesOut()));
    });
    return out;
  }

  /** Proxied connections open now (connecting, established or half-closed), sorry server included. */
  public synchronized int openConnections() {
    int n = 0;
    for (ServerState s : servers.values()) {
      n += s.counters.active() + s.counters.inactive();
    }
    if (sorry.isPresent()) {
      n += sorry.get().counters().active() + sorry.get().counters().inactive();
    }
    return n;
  }

  public VirtualService service() {
    return vs;
  }
}
