package io.vigil.agents.balancer;

import io.vigil.agents.balancer.sched.Schedulers;
import java.time.Duration;
import java.util.List;

/** Every configuration key of a virtual service with its typed default and meaning: the one place they are listed. */
public final class BalancerKeys {
  private BalancerKeys() {}

  /** A key, its default (null = required or absent) and what it means. */
  public record Key<T>(String name, T defaultValue, String doc) {}

  public static final Key<String> NAME = new Key<>("name", null, "virtual service name: lower-case letters, digits, '-'");
  public static final Key<String> LISTEN = new Key<>("listen", null, "address:port the service listens on (IP literal, [v6]:port)");
  public static final Key<String> MODE = new Key<>("mode", "proxy", "proxy (user space, default) or ipvs (kernel, via ipvsadm)");
  public static final Key<String> PROTOCOL = new Key<>("protocol", "tcp", "tcp (udp only in mode ipvs)");
  public static final Key<String> SCHEDULER = new Key<>("scheduler", Schedulers.DEFAULT, "one of " + String.join(", ", Schedulers.NAMES));
  public static final Key<List<String>> SCHEDULER_FLAGS = new Key<>("scheduler-flags", List.of(),
      "sh-fallback, sh-port, mh-fallback, mh-port (ipvsadm -b)");
  public static final Key<Integer> MH_TABLE_SIZE = new Key<>("mh-table-size", 4093, "Maglev lookup table size, a prime");
  public static final Key<Duration> PERSISTENCE_TIMEOUT = new Key<>("persistence.timeout", Duration.ofSeconds(300),
      "idle time after which a client group may go to another server (ipvsadm -p)");
  public static final Key<String> PERSISTENCE_NETMASK = new Key<>("persistence.netmask", "255.255.255.255",
      "IPv4 client grouping mask, dotted or prefix length (ipvsadm -M)");
  public static final Key<Integer> PERSISTENCE_IPV6_PREFIX = new Key<>("persistence.ipv6-prefix", 128, "IPv6 client grouping prefix");
  public static final Key<String> ON_FAILURE = new Key<>("on-failure", "remove", "remove or quiesce a real server that fails its check");
  public static final Key<String> SORRY_SERVER = new Key<>("sorry-server", null, "address:port used when no real server is available");
  public static final Key<String> CHECK_TYPE = new Key<>("check.type", "tcp", "tcp, http, https or script");
  public static final Key<Duration> CHECK_INTERVAL = new Key<>("check.interval", Duration.ofSeconds(5), "time between probes of one server");
  public static final Key<Duration> CHECK_TIMEOUT = new Key<>("check.timeout", Duration.ofSeconds(3), "time one probe may take");
  public static final Key<Integer> CHECK_RISE = new Key<>("check.rise", 1, "consecutive successes that bring a server back");
  public static final Key<Integer> CHECK_FALL = new Key<>("check.fall", 1, "consecutive failures that take a server out");
  public static final Key<Boolean> CHECK_ALPHA = new Key<>("check.alpha", false, "start servers down until they pass (keepalived alpha)");
  public static final Key<String> CHECK_PATH = new Key<>("check.path", "/", "HTTP path");
  public static final Key<String> CHECK_VHOST = new Key<>("check.virtual-host", null, "HTTP Host header (default: server address)");
  public static final Key<List<String>> CHECK_STATUS = new Key<>("check.status", List.of("200-299"), "accepted HTTP status ranges");
  public static final Key<String> CHECK_BODY_REGEX = new Key<>("check.body-regex", null, "regex the HTTP body must contain");
  public static final Key<String> CHECK_DIGEST = new Key<>("check.digest", null, "MD5 hex digest the HTTP body must have");
  public static final Key<List<String>> CHECK_COMMAND = new Key<>("check.command", null, "script check program and arguments");
  public static final Key<Boolean> CHECK_DYNAMIC = new Key<>("check.dynamic-weight", false,
      "script exit 2..255 sets weight exit-2 (keepalived misc_dynamic)");
  public static final Key<String> RS_ADDRESS = new Key<>("real-servers[].address", null, "address:port of the real server");
  public static final Key<Integer> RS_WEIGHT = new Key<>("real-servers[].weight", 1, "0..65535; 0 = quiescent");
  public static final Key<Integer> RS_UPPER = new Key<>("real-servers[].upper-threshold", 0, "connections at which it is overloaded (0 = none)");
  public static final Key<Integer> RS_LOWER = new Key<>("real-servers[].lower-threshold", 0, "connections below which it is no longer overloaded");
  public static final Key<String> RS_POOL = new Key<>("real-servers[].pool", VirtualService.DEFAULT_POOL, "pool the server belongs to");
  public static final Key<String> RS_FORWARDING = new Key<>("real-servers[].forwarding", "nat", "ipvs mode: nat, dr or tun");
  public static final Key<List<String>> RULE_NETWORKS = new Key<>("source-rules[].networks", null, "client networks (CIDR)");
  public static final Key<String> RULE_POOL = new Key<>("source-rules[].pool", null, "pool for those clients");
  public static final Key<Integer> PROXY_THREADS = new Key<>("proxy.threads", Runtime.getRuntime().availableProcessors(), "event-loop threads");
  public static final Key<Duration> PROXY_CONNECT_TIMEOUT = new Key<>("proxy.connect-timeout", Duration.ofSeconds(5), "backend connect timeout");
  public static final Key<String> PROXY_TRANSPORT = new Key<>("proxy.transport", "io_uring",
      "io_uring (native; epoll, then NIO where it cannot run), epoll (native; NIO where it cannot load) or nio"
          + " (see docs/balancer.md)");
  public static final Key<Duration> PROXY_IDLE_TIMEOUT = new Key<>("proxy.idle-timeout", Duration.ofSeconds(900),
      "close a proxied connection idle in both directions this long (IPVS: 900 s)");
  public static final Key<Duration> PROXY_DRAIN_TIMEOUT = new Key<>("proxy.drain-timeout", Duration.ofSeconds(2),
      "on stop: the listener closes at once, open connections may finish for this long, then are closed (0 = at once);"
          + " at most half the stop operation's timeout");
  public static final Key<Duration> PROXY_DRAIN_QUIET = new Key<>("proxy.drain-quiet", Duration.ofMillis(200),
      "during the drain, a connection that moved no bytes either way for this long is closed (idle keep-alive)");

  /** All keys, for `vigil balancer keys` and the docs. */
  public static final List<Key<?>> ALL = List.of(NAME, LISTEN, MODE, PROTOCOL, SCHEDULER, SCHEDULER_FLAGS, MH_TABLE_SIZE,
      PERSISTENCE_TIMEOUT, PERSISTENCE_NETMASK, PERSISTENCE_IPV6_PREFIX, ON_FAILURE, SORRY_SERVER,
      CHECK_TYPE, CHECK_INTERVAL, CHECK_TIMEOUT, CHECK_RISE, CHECK_FALL, CHECK_ALPHA, CHECK_PATH, CHECK_VHOST, CHECK_STATUS,
      CHECK_BODY_REGEX, CHECK_DIGEST, CHECK_COMMAND, CHECK_DYNAMIC, RS_ADDRESS, RS_WEIGHT, RS_UPPER, RS_LOWER, RS_POOL,
      RS_FORWARDING, RULE_NETWORKS, RULE_POOL, PROXY_THREADS, PROXY_CONNECT_TIMEOUT, PROXY_TRANSPORT, PROXY_IDLE_TIMEOUT,
      PROXY_DRAIN_TIMEOUT, PROXY_DRAIN_QUIET);
}
