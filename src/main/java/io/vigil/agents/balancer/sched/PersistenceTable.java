package io.vigil.agents.balancer.sched;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence (ipvsadm -p timeout -M netmask): clients in the same network group (address AND
 * netmask) go to the server they were sent to before, until the group has been idle for the
 * timeout. Time is passed in (nanoseconds from any fixed origin); not thread-safe.
 */
public final class PersistenceTable {
  private final long timeoutNanos;
  private final int ipv4Prefix;
  private final int ipv6Prefix;
  private final Map<InetAddress, Entry> entries = new HashMap<>();

  private record Entry(String serverId, long lastUse) {}

  /**
   * @param ipv4Prefix prefix length of the grouping netmask for IPv4 (32 = per client address)
   * @param ipv6Prefix prefix length for IPv6 (128 = per client address)
   */
  public PersistenceTable(Duration timeout, int ipv4Prefix, int ipv6Prefix) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("persistence timeout must be > 0, got " + timeout);
    }
    if (ipv4Prefix < 0 || ipv4Prefix > 32 || ipv6Prefix < 0 || ipv6Prefix > 128) {
      throw new IllegalArgumentException(
          "persistence netmask prefix out of range: ipv4 " + ipv4Prefix + " (0..32), ipv6 " + ipv6Prefix + " (0..128)");
    }
    this.timeoutNanos = timeout.toNanos();
    this.ipv4Prefix = ipv4Prefix;
    this.ipv6Prefix = ipv6Prefix;
  }

  /** The server this client's group is bound to, if the binding has not expired. */
  public Optional<String> lookup(InetAddress client, long nowNanos) {
    InetAddress group = group(client);
    Entry e = entries.get(group);
    if (e == null) {
      return Optional.empty();
    }
    if (nowNanos - e.lastUse() >= timeoutNanos) {
      entries.remove(group);
      return Optional.empty();
    }
    return Optional.of(e.serverId());
  }

  /** Binds (or re-binds) the client's group to a server and restarts its timeout. */
  public void record(InetAddress client, String serverId, long nowNanos) {
    entries.put(group(client), new Entry(serverId, nowNanos));
  }

  /** Restarts the timeout of the group's binding (called when a connection of it closes). */
  public void touch(InetAddress client, long nowNanos) {
    entries.computeIfPresent(group(client), (k, e) -> new Entry(e.serverId(), nowNanos));
  }

  /** Drops every binding to a server (it failed and was removed). */
  public void forget(String serverId) {
    entries.values().removeIf(e -> e.serverId().equals(serverId));
  }

  /** Drops expired bindings; returns how many remain. */
  public int expire(long nowNanos) {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (nowNanos - it.next().lastUse() >= timeoutNanos) {
        it.remove();
      }
    }
    return entries.size();
  }

  /** The network group of an address: the address with host bits cleared by the netmask. */
  InetAddress group(InetAddress client) {
    byte[] b = client.getAddress();
    int prefix = b.length == 4 ? ipv4Prefix : ipv6Prefix;
    for (int i = 0; i < b.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      b[i] &= (byte) (0xff << (8 - bits));
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of length " + b.length, e);
    }
  }
}
