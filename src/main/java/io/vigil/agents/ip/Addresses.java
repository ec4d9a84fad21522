package io.vigil.agents.ip;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Pure address rules: strict literal parsing (never a DNS lookup), which addresses may float, and
 * the effective prefix (full length on {@code lo}, whatever the operator typed).
 */
public final class Addresses {
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private Addresses() {}

  /** An address literal split from an optional "/prefix". */
  public record AddressAndPrefix(InetAddress address, Optional<Integer> prefix) {}

  /** The prefix to configure and, when it differs from what was asked, why (for the log). */
  public record PrefixDecision(int prefix, Optional<String> note) {}

  /** Parses "A" or "A/P"; IPv4 dotted quads and IPv6 literals only (no names, no zone ids). */
  public static AddressAndPrefix parse(String text) {
    String t = text == null ? "" : text.trim();
    Optional<Integer> prefix = Optional.empty();
    int slash = t.indexOf('/');
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (!p.matches("\\d{1,3}")) {
        throw new IllegalArgumentException("'" + text + "': prefix '" + p + "' is not a number");
      }
      prefix = Optional.of(Integer.parseInt(p));
      t = t.substring(0, slash);
    }
    return new AddressAndPrefix(literal(t, text), prefix);
  }

  private static InetAddress literal(String t, String original) {
    try {
      if (IPV4.matcher(t).matches()) {
        return InetAddress.getByName(t);
      }
      if (t.contains(":") && IPV6_CHARS.matcher(t).matches()) {
        InetAddress a = InetAddress.getByName(t);
        if (a instanceof Inet4Address) {
          throw new IllegalArgumentException(
              "'" + original + "' is an IPv4-mapped IPv6 address; write the IPv4 address instead");
        }
        return a;
      }
    } catch (UnknownHostException e) {
      // falls through to the common message: the literal did not parse
    }
    throw new IllegalArgumentException(
        "'" + original + "' is not an IP address literal; expected e.g. 192.0.2.10/24 or 2001:db8::10/64");
  }

  /** Full prefix length of the address family: 32 or 128. */
  public static int fullLength(InetAddress a) {
    return a instanceof Inet6Address ? 128 : 32;
  }

  /** Rejects addresses that cannot be a floating service address, saying which rule they break. */
  public static void requireFloatable(InetAddress a) {
    String s = a.getHostAddress();
    if (a.isAnyLocalAddress()) {
      throw new IllegalArgumentException(s + " is the unspecified address");
    }
    if (a.isLoopbackAddress()) {
      throw new IllegalArgumentException(s + " is a loopback address");
    }
    if (a.isMulticastAddress()) {
      throw new IllegalArgumentException(s + " is a multicast address");
    }
    if (a instanceof Inet6Address && a.isLinkLocalAddress()) {
      throw new IllegalArgumentException(s + " is an IPv6 link-local address (fe80::/10)");
    }
    if (s.equals("255.255.255.255")) {
      throw new IllegalArgumentException(s + " is the broadcast address");
    }
  }

  /**
   * Decides the prefix: explicit, else full length; on {@code lo} always full length, because a
   * shorter prefix on lo makes Linux answer ARP for the whole subnet (the seed's proxy-ARP havoc).
   */
  public static PrefixDecision effectivePrefix(InetAddress a, Optional<Integer> requested, String dev) {
    int full = fullLength(a);
    if (requested.isPresent() && (requested.get() < 1 || requested.get() > full)) {
      throw new IllegalArgumentException(
          "prefix /" + requested.get() + " is out of range for " + a.getHostAddress()
              + ", expected 1.." + full);
    }
    if ("lo".equals(dev)) {
      Optional<String> note =
          requested.filter(p -> p != full)
              .map(p -> "interface lo: using /" + full + " instead of /" + p + " for "
                  + a.getHostAddress() + " (a shorter prefix on lo answers ARP for the whole subnet)");
      return new PrefixDecision(full, note);
    }
    int prefix = requested.orElse(full);
    if (a instanceof Inet4Address && prefix <= 30) {
      requireHostAddress(a, prefix);
    }
    return new PrefixDecision(prefix, Optional.empty());
  }

  /** Network and broadcast addresses of an IPv4 subnet are not host addresses. */
  private static void requireHostAddress(InetAddress a, int prefix) {
    byte[] b = a.getAddress();
    int v = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    int host = v & (int) ((1L << (32 - prefix)) - 1);
    if (host == 0) {
      throw new IllegalArgumentException(
          a.getHostAddress() + " is the network address of its /" + prefix + " subnet");
    }
    if (host == (int) ((1L << (32 - prefix)) - 1)) {
      throw new IllegalArgumentException(
          a.getHostAddress() + " is the broadcast address of its /" + prefix + " subnet");
    }
  }

  /** Canonical text for an address (compressed IPv6), used in keys, files and messages. */
  public static String text(InetAddress a) {
    if (a instanceof Inet6Address) {
      return compressV6(a.getAddress());
    }
    return a.getHostAddress();
  }

  private static String compressV6(byte[] b) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
