package io.vigil.agents.ip;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Argument lists for iproute2 and the announcement helpers, in a namespace or not. Pure; every
 * value in them was validated by {@link IpParams}, and no shell ever sees them.
 */
public final class IpCommands {
  private IpCommands() {}

  /** {@code ip [-n NS] -j addr show}: all interfaces, so conflicts on other interfaces show. */
  public static List<String> listAddresses(String ip, Optional<String> netns) {
    List<String> argv = ip(ip, netns);
    argv.addAll(List.of("-j", "addr", "show"));
    return List.copyOf(argv);
  }

  /** {@code ip [-n NS] addr add A/P dev D [label L]}; IPv6 keeps DAD on unless probe=false. */
  public static List<String> add(String ip, IpParams p) {
    return add(ip, p, false);
  }

  /** As {@link #add(String, IpParams)}; {@code checked} = the neighbours were just asked, skip DAD. */
  public static List<String> add(String ip, IpParams p, boolean checked) {
    List<String> argv = ip(ip, p.netns());
    argv.addAll(List.of("addr", "add", Addresses.text(p.address()) + "/" + p.prefix(), "dev", p.device()));
    p.label().ifPresent(l -> argv.addAll(List.of("label", l)));
    if (!p.isIpv4() && (!p.probe() || checked)) {
      argv.add("nodad"); // probe=false: the operator asked not to check for duplicates
    }
    return List.copyOf(argv);
  }

  /** {@code ip [-n NS] addr del A/P dev D}. */
  public static List<String> delete(String ip, IpParams p, int prefix) {
    List<String> argv = ip(ip, p.netns());
    argv.addAll(List.of("addr", "del", Addresses.text(p.address()) + "/" + prefix, "dev", p.device()));
    return List.copyOf(argv);
  }

  /** Runs another program inside the namespace: {@code ip netns exec NS argv...}. */
  public static List<String> inNetns(String ip, Optional<String> netns, List<String> argv) {
    if (netns.isEmpty()) {
      return argv;
    }
    List<String> out = new ArrayList<>(List.of(ip, "netns", "exec", netns.get()));
    out.addAll(argv);
    return List.copyOf(out);
  }

  /**
   * resource-agents' {@code send_ua} (what IPaddr2 uses): unsolicited neighbour advertisements,
   * the first at once, interval in milliseconds.
   */
  public static List<String> sendUa(String sendUa, IpParams p) {
    return List.of(sendUa, "-i", Long.toString(p.announceInterval().toMillis()),
        "-c", Integer.toString(p.announceCount()), Addresses.text(p.address()),
        Integer.toString(p.prefix()), p.device());
  }

  private static List<String> ip(String ip, Optional<String> netns) {
    List<String> argv = new ArrayList<>();
    argv.add(ip);
    netns.ifPresent(n -> argv.addAll(List.of("-n", n)));
    return argv;
  }
}
