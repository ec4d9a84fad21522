package io.vigil.agents.balancer;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network ("10.1.0.0/16"); host bits must be zero. */
public record Cidr(InetAddress network, int prefix) {

  public Cidr {
    int max = network.getAddress().length * 8;
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("prefix /" + prefix + " out of range 0.." + max);
    }
  }

  /** Parses "a.b.c.d/n", "x::/n", or a bare address (full-length prefix). Literal addresses only, no DNS. */
  public static Cidr parse(String text) {
    String[] parts = text.trim().split("/", 2);
    InetAddress addr = literal(parts[0]);
    int max = addr.getAddress().length * 8;
    int prefix;
    try {
      prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("network '" + text + "': prefix is not a number");
    }
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("network '" + text + "': prefix /" + prefix + " out of range 0.." + max);
    }
    Cidr c = new Cidr(addr, prefix);
    if (!c.contains(addr) || !masked(addr.getAddress(), prefix).equals(addr)) {
      throw new IllegalArgumentException("network '" + text + "' has host bits set, expected " + masked(addr.getAddress(), prefix).getHostAddress() + "/" + prefix);
    }
    return c;
  }

  /** Whether the address is inside this network (IPv4 never matches an IPv6 network). */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) {
      return false;
    }
    return masked(a, prefix).equals(masked(n, prefix));
  }

  /** Parses a literal IPv4/IPv6 address; host names are rejected (no DNS lookups in config). */
  static InetAddress literal(String text) {
    String t = text.trim();
    boolean looksLiteral = t.matches("[0-9.]+") || t.contains(":");
    if (!looksLiteral || t.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address literal");
    }
    try {
      return InetAddress.getByName(t);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid IP address");
    }
  }

  private static InetAddress masked(byte[] b, int prefix) {
    byte[] m = b.clone();
    for (int i = 0; i < m.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      m[i] &= (byte) (0xff << (8 - bits));
    }
    try {
      return InetAddress.getByAddress(m);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefix;
  }

  /** The address as operators write it: IPv6 in RFC 5952 short form ("2001:db8::2"). */
  public static String format(InetAddress address) {
    return io.vigil.agents.ip.Addresses.text(address);
  }
}
