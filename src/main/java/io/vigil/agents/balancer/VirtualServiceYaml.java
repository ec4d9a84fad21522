package io.vigil.agents.balancer;

import io.vigil.agents.balancer.health.CheckSpec;
import io.vigil.agents.balancer.proxy.ProxyServer;
import io.vigil.agents.balancer.sched.Schedulers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a virtual service from YAML (keys in {@link BalancerKeys}) and validates it whole: the
 * first problem is reported as file:line:column, key, what was found and what was expected.
 */
public final class VirtualServiceYaml {
  private static final Set<String> TOP = Set.of("name", "listen", "mode", "protocol", "scheduler", "scheduler-flags",
      "mh-table-size", "persistence", "on-failure", "sorry-server", "check", "real-servers", "source-rules", "proxy");
  private static final Set<String> CHECK = Set.of("type", "interval", "timeout", "rise", "fall", "alpha", "path",
      "virtual-host", "status", "body-regex", "digest", "command", "dynamic-weight");
  private static final Set<String> RS = Set.of("address", "weight", "upper-threshold", "lower-threshold", "pool", "forwarding");
  private static final Set<String> PERSIST = Set.of("timeout", "netmask", "ipv6-prefix");
  private static final Set<String> RULE = Set.of("networks", "pool");
  private static final Set<String> PROXY = Set.of("threads", "connect-timeout", "transport", "idle-timeout", "drain-timeout", "drain-quiet");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private VirtualServiceYaml() {}

  /** Reads and validates a file. */
  public static VirtualService load(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file));
  }

  /** Parses and validates YAML text; {@code file} names it in errors. */
  public static VirtualService parse(String file, String text) {
    YamlNode root = YamlNode.root(file, text);
    Map<String, YamlNode> m = root.mapping(TOP);
    String name = required(root, m, "name").string();
    if (!NAME.matcher(name).matches()) {
      throw m.get("name").error("'" + name + "' is not a valid name, expected lower-case letters, digits and '-'");
    }
    InetSocketAddress listen = required(root, m, "listen").convert(a -> address(a, true));
    VirtualService.Mode mode = enumOf(m.get("mode"), VirtualService.Mode.class, BalancerKeys.MODE.defaultValue());
    VirtualService.Protocol protocol = enumOf(m.get("protocol"), VirtualService.Protocol.class, BalancerKeys.PROTOCOL.defaultValue());
    if (protocol == VirtualService.Protocol.UDP && mode == VirtualService.Mode.PROXY) {
      throw m.get("protocol").error("udp is only supported in mode ipvs, expected tcp");
    }
    String scheduler = m.containsKey("scheduler") ? m.get("scheduler").string() : Schedulers.DEFAULT;
    if (!Schedulers.NAMES.contains(scheduler)) {
      throw m.get("scheduler").error("unknown scheduler '" + scheduler + "', expected one of " + String.join(", ", Schedulers.NAMES));
    }
    Schedulers.Options opts = schedulerOptions(m, scheduler);
    List<VirtualService.RealServerSpec> servers = realServers(root, m, mode, listen);
    List<VirtualService.SourceRule> rules = sourceRules(m, servers);
    if (mode == VirtualService.Mode.IPVS && !rules.isEmpty()) {
      throw m.get("source-rules").error("source rules need mode proxy (in ipvs they would need firewall marks), expected no source-rules");
    }
    return new VirtualService(name, listen, mode, protocol, scheduler, opts,
        Optional.ofNullable(m.get("persistence")).map(VirtualServiceYaml::persistence),
        servers,
        Optional.ofNullable(m.get("check")).map(VirtualServiceYaml::check),
        enumOf(m.get("on-failure"), VirtualService.OnFailure.class, BalancerKeys.ON_FAILURE.defaultValue()),
        Optional.ofNullable(m.get("sorry-server")).map(n -> n.convert(a -> address(a, false))),
        rules, proxy(m.get("proxy")));
  }

  private static YamlNode required(YamlNode parent, Map<String, YamlNode> m, String key) {
    YamlNode n = m.get(key);
    if (n == null) {
      throw parent.error("missing required key '" + key + "'");
    }
    return n;
  }

  private static Schedulers.Options schedulerOptions(Map<String, YamlNode> m, String scheduler) {
    boolean fallback = false;
    boolean port = false;
    if (m.containsKey("scheduler-flags")) {
      for (String flag : m.get("scheduler-flags").strings()) {
        switch (flag) {
          case "sh-fallback", "mh-fallback" -> fallback = true;
          case "sh-port", "mh-port" -> port = true;
          default -> throw m.get("scheduler-flags").error("unknown flag '" + flag + "', expected sh-fallback, sh-port, mh-fallback or mh-port");
        }
        if (!flag.startsWith(scheduler + "-")) {
          throw m.get("scheduler-flags").error("flag '" + flag + "' does not apply to scheduler " + scheduler);
        }
      }
    }
    int table = m.containsKey("mh-table-size") ? m.get("mh-table-size").integer(251, 131071) : BalancerKeys.MH_TABLE_SIZE.defaultValue();
    if (!java.math.BigInteger.valueOf(table).isProbablePrime(30)) {
      throw m.get("mh-table-size").error(table + " is not a prime, expected a prime such as 4093 or 65521");
    }
    return new Schedulers.Options(fallback, port, table, Schedulers.DEFAULT_LOCALITY_EXPIRATION);
  }

  private static VirtualService.Persistence persistence(YamlNode n) {
    Map<String, YamlNode> p = n.mapping(PERSIST);
    Duration timeout = p.containsKey("timeout") ? p.get("timeout").duration() : BalancerKeys.PERSISTENCE_TIMEOUT.defaultValue();
    int v4 = p.containsKey("netmask")
        ? p.get("netmask").convert(VirtualServiceYaml::prefixOf)
        : prefixOf(BalancerKeys.PERSISTENCE_NETMASK.defaultValue());
    int v6 = p.containsKey("ipv6-prefix") ? p.get("ipv6-prefix").integer(0, 128) : BalancerKeys.PERSISTENCE_IPV6_PREFIX.defaultValue();
    return new VirtualService.Persistence(timeout, v4, v6);
  }

  private static List<VirtualService.RealServerSpec> realServers(YamlNode root, Map<String, YamlNode> m,
      VirtualService.Mode mode, InetSocketAddress listen) {
    List<YamlNode> list = required(root, m, "real-servers").sequence();
    if (list.isEmpty()) {
      throw m.get("real-servers").error("expected at least one real server");
    }
    List<VirtualService.RealServerSpec> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (YamlNode n : list) {
      Map<String, YamlNode> r = n.mapping(RS);
      InetSocketAddress addr = required(n, r, "address").convert(a -> address(a, false));
      int weight = r.containsKey("weight") ? r.get("weight").integer(0, 65535) : BalancerKeys.RS_WEIGHT.defaultValue();
      int upper = r.containsKey("upper-threshold") ? r.get("upper-threshold").integer(0, Integer.MAX_VALUE) : BalancerKeys.RS_UPPER.defaultValue();
      int lower = r.containsKey("lower-threshold") ? r.get("lower-threshold").integer(0, Integer.MAX_VALUE) : BalancerKeys.RS_LOWER.defaultValue();
      if (lower > 0 && (upper == 0 || lower >= upper)) {
        throw r.get("lower-threshold").error("lower threshold " + lower + " needs an upper threshold above it, got upper " + upper);
      }
      String pool = r.containsKey("pool") ? r.get("pool").string() : BalancerKeys.RS_POOL.defaultValue();
      VirtualService.Forwarding fwd = enumOf(r.get("forwarding"), VirtualService.Forwarding.class, BalancerKeys.RS_FORWARDING.defaultValue());
      if (mode == VirtualService.Mode.IPVS && fwd != VirtualService.Forwarding.NAT && addr.getPort() != listen.getPort()) {
        throw r.get("address").error("forwarding " + fwd.name().toLowerCase(Locale.ROOT) + " cannot change the port: real server port "
            + addr.getPort() + ", expected the service port " + listen.getPort());
      }
      var spec = new VirtualService.RealServerSpec(addr, weight, upper, lower, pool, fwd);
      if (!ids.add(spec.id())) {
        throw r.get("address").error("real server " + spec.id() + " is listed twice");
      }
      out.add(spec);
    }
    if (out.stream().noneMatch(s -> s.pool().equals(VirtualService.DEFAULT_POOL))) {
      throw m.get("real-servers").error("no real server in pool '" + VirtualService.DEFAULT_POOL + "', which takes every client no source rule matches");
    }
    return out;
  }

  private static List<VirtualService.SourceRule> sourceRules(Map<String, YamlNode> m, List<VirtualService.RealServerSpec> servers) {
    if (!m.containsKey("source-rules")) {
      return List.of();
    }
    Set<String> pools = new HashSet<>();
    servers.forEach(s -> pools.add(s.pool()));
    List<VirtualService.SourceRule> out = new ArrayList<>();
    for (YamlNode n : m.get("source-rules").sequence()) {
      Map<String, YamlNode> r = n.mapping(RULE);
      List<Cidr> nets = new ArrayList<>();
      for (YamlNode net : required(n, r, "networks").sequence()) {
        nets.add(net.convert(Cidr::parse));
      }
      String pool = required(n, r, "pool").string();
      if (!pools.contains(pool)) {
        throw r.get("pool").error("no real server is in pool '" + pool + "', known pools: " + String.join(", ", pools.stream().sorted().toList()));
      }
      out.add(new VirtualService.SourceRule(nets, pool));
    }
    return out;
  }

  private static VirtualService.Check check(YamlNode n) {
    Map<String, YamlNode> c = n.mapping(CHECK);
    String type = c.containsKey("type") ? c.get("type").string() : BalancerKeys.CHECK_TYPE.defaultValue();
    CheckSpec spec = switch (type) {
      case "tcp" -> new CheckSpec.Tcp();
      case "http", "https" -> {
        List<CheckSpec.StatusRange> ranges = new ArrayList<>();
        if (c.containsKey("status")) {
          YamlNode st = c.get("status");
          List<YamlNode> items = st.node instanceof org.snakeyaml.engine.v2.nodes.SequenceNode ? st.sequence() : List.of(st);
          for (YamlNode item : items) {
            ranges.add(item.convert(CheckSpec.StatusRange::parse));
          }
        } else {
          ranges.add(new CheckSpec.StatusRange(200, 299));
        }
        Optional<Pattern> regex = Optional.ofNullable(c.get("body-regex")).map(r -> {
          try {
            return Pattern.compile(r.string());
          } catch (PatternSyntaxException e) {
            throw r.error("invalid regex: " + e.getDescription());
          }
        });
        Optional<String> digest = Optional.ofNullable(c.get("digest")).map(d -> {
          if (!d.string().matches("[0-9a-fA-F]{32}")) {
            throw d.error("expected an MD5 digest of 32 hex digits, got '" + d.string() + "'");
          }
          return d.string();
        });
        String path = c.containsKey("path") ? c.get("path").string() : BalancerKeys.CHECK_PATH.defaultValue();
        if (!path.startsWith("/")) {
          throw c.get("path").error("expected a path starting with '/', got '" + path + "'");
        }
        yield new CheckSpec.Http(type.equals("https"), path, Optional.ofNullable(c.get("virtual-host")).map(YamlNode::string),
            ranges, regex, digest);
      }
      case "script" -> {
        YamlNode cmd = required(n, c, "command");
        List<String> argv = cmd.strings();
        if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
          throw cmd.error("expected an absolute program path and its arguments as a list, got " + argv);
        }
        yield new CheckSpec.Script(argv, c.containsKey("dynamic-weight") ? c.get("dynamic-weight").bool() : BalancerKeys.CHECK_DYNAMIC.defaultValue());
      }
      default -> throw c.get("type").error("unknown check type '" + type + "', expected tcp, http, https or script");
    };
    Duration interval = c.containsKey("interval") ? c.get("interval").duration() : BalancerKeys.CHECK_INTERVAL.defaultValue();
    Duration timeout = c.containsKey("timeout") ? c.get("timeout").duration() : BalancerKeys.CHECK_TIMEOUT.defaultValue();
    int rise = c.containsKey("rise") ? c.get("rise").integer(1, 100) : BalancerKeys.CHECK_RISE.defaultValue();
    int fall = c.containsKey("fall") ? c.get("fall").integer(1, 100) : BalancerKeys.CHECK_FALL.defaultValue();
    boolean alpha = c.containsKey("alpha") ? c.get("alpha").bool() : BalancerKeys.CHECK_ALPHA.defaultValue();
    return new VirtualService.Check(spec, new CheckSpec.CheckPolicy(interval, timeout, rise, fall, alpha));
  }

  private static VirtualService.ProxySettings proxy(YamlNode n) {
    Map<String, YamlNode> p = n == null ? Map.of() : n.mapping(PROXY);
    int threads = p.containsKey("threads") ? p.get("threads").integer(1, 256) : BalancerKeys.PROXY_THREADS.defaultValue();
    Duration ct = p.containsKey("connect-timeout") ? p.get("connect-timeout").duration() : BalancerKeys.PROXY_CONNECT_TIMEOUT.defaultValue();
    ProxyServer.Transport t = enumOf(p.get("transport"), ProxyServer.Transport.class, BalancerKeys.PROXY_TRANSPORT.defaultValue());
    Duration idle = p.containsKey("idle-timeout") ? p.get("idle-timeout").duration() : BalancerKeys.PROXY_IDLE_TIMEOUT.defaultValue();
    Duration drain = p.containsKey("drain-timeout") ? p.get("drain-timeout").duration() : BalancerKeys.PROXY_DRAIN_TIMEOUT.defaultValue();
    Duration quiet = p.containsKey("drain-quiet") ? p.get("drain-quiet").duration() : BalancerKeys.PROXY_DRAIN_QUIET.defaultValue();
    return new VirtualService.ProxySettings(threads, ct, t, idle, drain, quiet);
  }

  private static <E extends Enum<E>> E enumOf(YamlNode n, Class<E> type, String dflt) {
    String v = n == null ? dflt : n.string();
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw n.error("unknown value '" + v + "', expected one of " + String.join(", ", names));
  }

  /** "10.0.0.1:80" or "[2001:db8::1]:80", IP literals only. */
  static InetSocketAddress address(String text, boolean allowPortZero) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("'" + text + "' has no port, expected address:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("'" + text + "': write IPv6 addresses as [address]:port");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': port is not a number");
    }
    if (port < (allowPortZero ? 0 : 1) || port > 65535) {
      throw new IllegalArgumentException("'" + text + "': port " + port + " out of range " + (allowPortZero ? 0 : 1) + "..65535");
    }
    InetAddress addr = Cidr.literal(host);
    return new InetSocketAddress(addr, port);
  }

  /** "255.255.255.0" or "24" to a prefix length; non-contiguous masks are rejected. */
  static int prefixOf(String mask) {
    if (mask.matches("\\d{1,2}")) {
      int p = Integer.parseInt(mask);
      if (p > 32) {
        throw new IllegalArgumentException("netmask /" + p + " out of range 0..32");
      }
      return p;
    }
    byte[] b = Cidr.literal(mask).getAddress();
    if (b.length != 4) {
      throw new IllegalArgumentException("netmask '" + mask + "' is not an IPv4 mask");
    }
    int v = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    int prefix = Integer.bitCount(v);
    if (v != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
      throw new IllegalArgumentException("netmask '" + mask + "' is not contiguous, expected e.g. 255.255.255.0");
    }
    return prefix;
  }

}
