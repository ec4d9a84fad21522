package io.vigil.agents.balancer.ipvs;

import io.vigil.agents.balancer.Cidr;
import io.vigil.agents.balancer.VirtualService;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds ipvsadm(8) argument lists (never shell strings) for a virtual service: -A/-D for the
 * service with scheduler, persistence (-p, -M) and scheduler flags (-b); -a/-e/-d for real servers
 * with forwarding (-m NAT, -g DR, -i TUN), weight (-w) and thresholds (-x upper, -y lower).
 */
public final class IpvsCommands {
  /** The program; found on PATH by the runner. */
  public static final String IPVSADM = "ipvsadm";

  private IpvsCommands() {}

  /** Everything needed to create the service: the service, then each real server at its weight. */
  public static List<List<String>> create(VirtualService vs) {
    List<List<String>> out = new ArrayList<>();
    out.add(addService(vs));
    for (VirtualService.RealServerSpec rs : vs.realServers()) {
      out.add(addRealServer(vs, rs, rs.weight()));
    }
    return out;
  }

  /** ipvsadm -A -t VIP:PORT -s SCHED [-b FLAGS] [-p TIMEOUT [-M MASK]] */
  public static List<String> addService(VirtualService vs) {
    List<String> cmd = new ArrayList<>(List.of(IPVSADM, "-A"));
    cmd.addAll(service(vs));
    cmd.add("-s");
    cmd.add(vs.scheduler());
    List<String> flags = new ArrayList<>();
    if (vs.schedulerOptions().fallback()) {
      flags.add(vs.scheduler() + "-fallback");
    }
    if (vs.schedulerOptions().hashPort()) {
      flags.add(vs.scheduler() + "-port");
    }
    if (!flags.isEmpty()) {
      cmd.add("-b");
      cmd.add(String.join(",", flags));
    }
    vs.persistence().ifPresent(p -> {
      cmd.add("-p");
      cmd.add(Long.toString(Math.max(1, p.timeout().toSeconds())));
      boolean v6 = vs.listen().getAddress().getAddress().length == 16;
      int prefix = v6 ? p.ipv6Prefix() : p.ipv4Prefix();
      if (prefix != (v6 ? 128 : 32)) {
        cmd.add("-M");
        cmd.add(v6 ? Integer.toString(prefix) : dottedMask(prefix));
      }
    });
    return List.copyOf(cmd);
  }

  /** ipvsadm -D -t VIP:PORT (removes the service and all its real servers). */
  public static List<String> deleteService(VirtualService vs) {
    List<String> cmd = new ArrayList<>(List.of(IPVSADM, "-D"));
    cmd.addAll(service(vs));
    return List.copyOf(cmd);
  }

  /** ipvsadm -L -n -t VIP:PORT: exits 0 only when the kernel has the service. */
  public static List<String> listService(VirtualService vs) {
    List<String> cmd = new ArrayList<>(List.of(IPVSADM, "-L", "-n"));
    cmd.addAll(service(vs));
    return List.copyOf(cmd);
  }

  /** ipvsadm -a -t VIP:PORT -r RIP:PORT -m|-g|-i -w W [-x U] [-y L] */
  public static List<String> addRealServer(VirtualService vs, VirtualService.RealServerSpec rs, int weight) {
    return realServer("-a", vs, rs, weight);
  }

  /** ipvsadm -e ...: changes weight (0 = quiesce/drain) keeping existing connections. */
  public static List<String> editRealServer(VirtualService vs, VirtualService.RealServerSpec rs, int weight) {
    return realServer("-e", vs, rs, weight);
  }

  /** ipvsadm -d -t VIP:PORT -r RIP:PORT */
  public static List<String> deleteRealServer(VirtualService vs, VirtualService.RealServerSpec rs) {
    List<String> cmd = new ArrayList<>(List.of(IPVSADM, "-d"));
    cmd.addAll(service(vs));
    cmd.add("-r");
    cmd.add(endpoint(rs.address()));
    return List.copyOf(cmd);
  }

  /** What a health change does in the kernel: remove or quiesce on failure, add back or restore weight on recovery. */
  public static List<String> onHealthChange(VirtualService vs, VirtualService.RealServerSpec rs, boolean up, int weight) {
    if (vs.onFailure() == VirtualService.OnFailure.QUIESCE) {
      return editRealServer(vs, rs, up ? weight : 0);
    }
    return up ? addRealServer(vs, rs, weight) : deleteRealServer(vs, rs);
  }

  /** The sorry server enters as a masqueraded real server of weight 1 (as keepalived does), and leaves with -d. */
  public static List<String> sorryServer(VirtualService vs, boolean add) {
    InetSocketAddress sorry = vs.sorryServer().orElseThrow(
        () -> new IllegalArgumentException("virtual service " + vs.name() + " has no sorry server"));
    var rs = new VirtualService.RealServerSpec(sorry, 1, 0, 0, "sorry", VirtualService.Forwarding.NAT);
    return add ? addRealServer(vs, rs, 1) : deleteRealServer(vs, rs);
  }

  private static List<String> realServer(String op, VirtualService vs, VirtualService.RealServerSpec rs, int weight) {
    List<String> cmd = new ArrayList<>(List.of(IPVSADM, op));
    cmd.addAll(service(vs));
    cmd.add("-r");
    cmd.add(endpoint(rs.address()));
    cmd.add(switch (rs.forwarding()) {
      case NAT -> "-m";
      case DR -> "-g";
      case TUN -> "-i";
    });
    cmd.add("-w");
    cmd.add(Integer.toString(weight));
    if (rs.upperThreshold() > 0) {
      cmd.add("-x");
      cmd.add(Integer.toString(rs.upperThreshold()));
    }
    if (rs.lowerThreshold() > 0) {
      cmd.add("-y");
      cmd.add(Integer.toString(rs.lowerThreshold()));
    }
    return List.copyOf(cmd);
  }

  private static List<String> service(VirtualService vs) {
    return List.of(vs.protocol() == VirtualService.Protocol.UDP ? "-u" : "-t", endpoint(vs.listen()));
  }

  /** "10.0.0.1:80" or "[2001:db8::1]:80", as ipvsadm parses them. */
  public static String endpoint(InetSocketAddress a) {
    String host = Cidr.format(a.getAddress());
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  static String dottedMask(int prefix) {
    int m = prefix == 0 ? 0 : -1 << (32 - prefix);
    return ((m >>> 24) & 0xff) + "." + ((m >>> 16) & 0xff) + "." + ((m >>> 8) & 0xff) + "." + (m & 0xff);
  }
}
