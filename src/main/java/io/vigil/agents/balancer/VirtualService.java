package io.vigil.agents.balancer;

import io.vigil.agents.balancer.health.CheckSpec;
import io.vigil.agents.balancer.proxy.ProxyServer;
import io.vigil.agents.balancer.sched.Schedulers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A validated virtual service: where it listens, how it schedules, which real servers it has and
 * how they are checked. Built by {@link VirtualServiceYaml} (or directly in tests); every
 * instance is valid, so the engine never re-checks.
 */
public record VirtualService(
    String name,
    InetSocketAddress listen,
    Mode mode,
    Protocol protocol,
    String scheduler,
    Schedulers.Options schedulerOptions,
    Optional<Persistence> persistence,
    List<RealServerSpec> realServers,
    Optional<Check> check,
    OnFailure onFailure,
    Optional<InetSocketAddress> sorryServer,
    List<SourceRule> sourceRules,
    ProxySettings proxy) {

  /** The pool real servers belong to unless they name another. */
  public static final String DEFAULT_POOL = "default";

  public VirtualService {
    realServers = List.copyOf(realServers);
    sourceRules = List.copyOf(sourceRules);
  }

  /** Transport protocol of the service; UDP only in mode ipvs. */
  public enum Protocol {
    TCP,
    UDP
  }

  /** How traffic reaches the real servers. */
  public enum Mode {
    /** User-space proxy (default): works everywhere, real servers need no changes. */
    PROXY,
    /** Kernel IPVS programmed with ipvsadm: NAT, DR or TUN per real server. */
    IPVS
  }

  /** What a failed health check does to a real server. */
  public enum OnFailure {
    /** Take it out of the scheduler's list (keepalived's default, ldirectord quiescent=no). */
    REMOVE,
    /** Keep it with weight 0: existing connections continue, no new ones (ldirectord quiescent=yes). */
    QUIESCE
  }

  /** IPVS packet-forwarding method of a real server (ipvsadm -m, -g, -i). */
  public enum Forwarding {
    NAT,
    DR,
    TUN
  }

  /** Persistence: same client group to the same real server until idle for the timeout (ipvsadm -p, -M). */
  public record Persistence(Duration timeout, int ipv4Prefix, int ipv6Prefix) {}

  /** One real server. Thresholds 0 mean none (ipvsadm -x, -y). */
  public record RealServerSpec(
      InetSocketAddress address, int weight, int upperThreshold, int lowerThreshold, String pool, Forwarding forwarding) {

    /** Stable identity used by the schedulers, events and status: "host:port". */
    public String id() {
      String host = address.getAddress() != null ? Cidr.format(address.getAddress()) : address.getHostString();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
  }

  /** A health check and its timing. */
  public record Check(CheckSpec spec, CheckSpec.CheckPolicy policy) {}

  /** Clients from these networks are scheduled over the real servers of another pool. */
  public record SourceRule(List<Cidr> networks, String pool) {
    public SourceRule {
      networks = List.copyOf(networks);
    }
  }

  /**
   * Settings of the user-space proxy.
   *
   * @param drainTimeout on stop, how long open connections may go on after the listener closed
   * @param drainQuiet during the drain, a connection quiet this long is closed
   */
  public record ProxySettings(int threads, Duration connectTimeout, ProxyServer.Transport transport, Duration idleTimeout,
      Duration drainTimeout, Duration drainQuiet) {
    /** The settings with the default drain. */
    public ProxySettings(int threads, Duration connectTimeout, ProxyServer.Transport transport, Duration idleTimeout) {
      this(threads, connectTimeout, transport, idleTimeout, BalancerKeys.PROXY_DRAIN_TIMEOUT.defaultValue(),
          BalancerKeys.PROXY_DRAIN_QUIET.defaultValue());
    }
  }
}
