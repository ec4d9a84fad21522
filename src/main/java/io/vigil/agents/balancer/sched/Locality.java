package io.vigil.agents.balancer.sched;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Locality-based least-connection, lblc and lblcr (ip_vs_lblc, ip_vs_lblcr): a table maps each
 * destination address to a server (lblc) or a server set (lblcr); a new entry or a replacement
 * goes to the least weighted-loaded server. An assigned server is abandoned when it is
 * unavailable, or has more active connections than its weight while some server is below half
 * of its weight. lblcr shrinks a set by its most loaded member once it has not changed for the
 * expiration time. Entries unused for the expiration time are forgotten.
 */
final class Locality implements Scheduler {
  private final boolean replicated;
  private final long expirationNanos;
  private final LongSupplier nanoTicker;
  private final Map<InetAddress, Entry> table = new HashMap<>();

  private static final class Entry {
    final Set<String> members = new LinkedHashSet<>();
    long lastUse;
    long lastModified;
  }

  Locality(boolean replicated, Duration expiration, LongSupplier nanoTicker) {
    this.replicated = replicated;
    this.expirationNanos = expiration.toNanos();
    this.nanoTicker = nanoTicker;
  }

  @Override
  public Optional<RealServer> select(List<RealServer> servers, ConnKey key) {
    long now = nanoTicker.getAsLong();
    expire(now);
    Entry entry = table.get(key.destination());
    if (entry != null) {
      entry.lastUse = now;
      entry.members.removeIf(id -> SourceHash.byId(servers, id) == null);
      RealServer current = replicated ? leastOf(servers, entry.members) : firstOf(servers, entry.members);
      if (replicated && entry.members.size() > 1 && now - entry.lastModified > expirationNanos) {
        mostLoaded(servers, entry.members).ifPresent(id -> {
          entry.members.remove(id);
          entry.lastModified = now;
        });
      }
      if (current != null && current.available() && !overloaded(current, servers)) {
        return Optional.of(current);
      }
    }
    Optional<RealServer> chosen = LeastConnection.leastWeighted(servers);
    chosen.ifPresent(s -> {
      Entry e = entry != null ? entry : new Entry();
      if (!replicated) {
        e.members.clear();
      }
      e.members.add(s.id());
      e.lastUse = now;
      e.lastModified = now;
      table.put(key.destination(), e);
    });
    return chosen;
  }

  private void expire(long now) {
    for (Iterator<Entry> it = table.values().iterator(); it.hasNext(); ) {
      if (now - it.next().lastUse > expirationNanos) {
        it.remove();
      }
    }
  }

  /** More active connections than weight while another server is below half of its weight. */
  static boolean overloaded(RealServer s, List<RealServer> servers) {
    if (s.activeConns() <= s.weight()) {
      return false;
    }
    for (RealServer d : servers) {
      if ((long) d.activeConns() * 2 < d.weight()) {
        return true;
      }
    }
    return false;
  }

  private static RealServer firstOf(List<RealServer> servers, Set<String> ids) {
    return ids.isEmpty() ? null : SourceHash.byId(servers, ids.iterator().next());
  }

  private static RealServer leastOf(List<RealServer> servers, Set<String> ids) {
    List<RealServer> members = new ArrayList<>();
    for (String id : ids) {
      members.add(SourceHash.byId(servers, id));
    }
    return LeastConnection.leastWeighted(members).orElse(null);
  }

  private static Optional<String> mostLoaded(List<RealServer> servers, Set<String> ids) {
    RealServer most = null;
    for (String id : ids) {
      RealServer s = SourceHash.byId(servers, id);
      if (s.weight() == 0) {
        continue;
      }
      if (most == null || s.overhead() * most.weight() > most.overhead() * s.weight()) {
        most = s;
      }
    }
    return Optional.ofNullable(most).map(RealServer::id);
  }

  /** Number of destination addresses currently in the table (for tests and status). */
  int tableSize() {
    return table.size();
  }

  @Override
  public String name() {
    return replicated ? "lblcr" : "lblc";
  }
}
