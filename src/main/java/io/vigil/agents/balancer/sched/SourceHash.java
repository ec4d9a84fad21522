package io.vigil.agents.balancer.sched;

import java.util.List;
import java.util.Optional;

/**
 * sh (ip_vs_sh): a static 256-bucket table in which each server takes as many consecutive
 * buckets as its weight; the client address (and port, with sh-port) picks the bucket. An
 * unavailable server yields no server, or with sh-fallback the next available bucket's server.
 */
final class SourceHash implements Scheduler {
  static final int BITS = 8;
  static final int SIZE = 1 << BITS;

  private final boolean fallback;
  private final boolean hashPort;
  private final boolean destination;
  private List<RealServer> tableFor = List.of();
  private String[] table = new String[0];

  /**
   * @param destination hash the destination address with round-robin buckets instead (dh)
   */
  SourceHash(boolean fallback, boolean hashPort, boolean destination) {
    this.fallback = fallback;
    this.hashPort = hashPort;
    this.destination = destination;
  }

  @Override
  public Optional<RealServer> select(List<RealServer> servers, ConnKey key) {
    if (servers.isEmpty()) {
      return Optional.empty();
    }
    maybeRebuild(servers);
    int value = destination
        ? AddressHash.fold(key.destination())
        : AddressHash.fold(key.client()) + (hashPort ? key.clientPort() : 0);
    int bucket = AddressHash.hash32(value, BITS);
    int tries = fallback ? SIZE : 1;
    for (int offset = 0; offset < tries; offset++) {
      RealServer s = byId(servers, table[(bucket + offset) % SIZE]);
      if (s != null && s.available()) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private void maybeRebuild(List<RealServer> servers) {
    if (sameMembership(servers, tableFor)) {
      return;
    }
    String[] t = new String[SIZE];
    int i = 0;
    int count = 0;
    for (int b = 0; b < SIZE; b++) {
      RealServer s = servers.get(i);
      t[b] = s.id();
      if (destination || ++count >= s.weight()) {
        i = (i + 1) % servers.size();
        count = 0;
      }
    }
    table = t;
    tableFor = servers;
  }

  /** Same ids and weights in the same order (connection counts do not matter to the table). */
  static boolean sameMembership(List<RealServer> a, List<RealServer> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).id().equals(b.get(i).id()) || a.get(i).weight() != b.get(i).weight()) {
        return false;
      }
    }
    return true;
  }

  static RealServer byId(List<RealServer> servers, String id) {
    for (RealServer s : servers) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public String name() {
    return destination ? "dh" : "sh";
  }
}
