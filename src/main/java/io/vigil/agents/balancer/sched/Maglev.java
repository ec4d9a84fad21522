package io.vigil.agents.balancer.sched;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * mh (ip_vs_mh, Maglev hashing, NSDI'16 section 3.4): every server has a permutation of the
 * lookup-table slots (offset and skip from two hashes of its id); servers take turns claiming
 * their next preferred free slot, weight/gcd claims per turn, until the table is full. A client
 * address hashes to a slot. Because preferences do not depend on the other members, removing
 * a server moves mostly the slots it held. Quiescent servers hold no slots.
 */
final class Maglev implements Scheduler {
  /** The kernel's default table size (CONFIG_IP_VS_MH_TAB_INDEX 12): a prime. */
  static final int DEFAULT_TABLE_SIZE = 4093;

  private final int size;
  private final boolean fallback;
  private final boolean hashPort;
  private List<RealServer> tableFor;
  private String[] table;

  Maglev(int tableSize, boolean fallback, boolean hashPort) {
    if (tableSize < 2 || !java.math.BigInteger.valueOf(tableSize).isProbablePrime(30)) {
      throw new IllegalArgumentException("mh table size must be a prime >= 2, got " + tableSize);
    }
    this.size = tableSize;
    this.fallback = fallback;
    this.hashPort = hashPort;
  }

  @Override
  public Optional<RealServer> select(List<RealServer> servers, ConnKey key) {
    if (tableFor == null || !SourceHash.sameMembership(servers, tableFor)) {
      table = populate(servers, size);
      tableFor = servers;
    }
    byte[] addr = key.client().getAddress();
    long h = mix(Arrays.hashCode(addr) * 31L + (hashPort ? key.clientPort() : 0), 0x5bd1e995L);
    int slot = (int) Long.remainderUnsigned(h, size);
    int tries = fallback ? size : 1;
    for (int i = 0; i < tries; i++) {
      String id = table[(slot + i) % size];
      RealServer s = id == null ? null : SourceHash.byId(servers, id);
      if (s != null && s.available()) {
        return Optional.of(s);
      }
      if (!fallback) {
        break;
      }
    }
    return Optional.empty();
  }

  /** Builds the lookup table: slot -> server id, null everywhere when no server has weight. */
  static String[] populate(List<RealServer> servers, int size) {
    String[] table = new String[size];
    List<RealServer> weighted = new ArrayList<>();
    int gcd = 0;
    for (RealServer s : servers) {
      if (s.weight() > 0) {
        weighted.add(s);
        gcd = gcd == 0 ? s.weight() : WeightedRoundRobin.gcd(gcd, s.weight());
      }
    }
    if (weighted.isEmpty()) {
      return table;
    }
    int n = weighted.size();
    long[] offset = new long[n];
    long[] skip = new long[n];
    long[] next = new long[n];
    int[] turns = new int[n];
    for (int i = 0; i < n; i++) {
      byte[] id = weighted.get(i).id().getBytes(StandardCharsets.UTF_8);
      offset[i] = Long.remainderUnsigned(hash(id, 0x9e3779b97f4a7c15L), size);
      skip[i] = Long.remainderUnsigned(hash(id, 0xc2b2ae3d27d4eb4fL), size - 1) + 1;
      turns[i] = weighted.get(i).weight() / gcd;
    }
    int filled = 0;
    while (filled < size) {
      for (int i = 0; i < n && filled < size; i++) {
        for (int t = 0; t < turns[i] && filled < size; t++) {
          int c;
          do {
            c = (int) ((offset[i] + next[i] * skip[i]) % size);
            next[i]++;
          } while (table[c] != null);
          table[c] = weighted.get(i).id();
          filled++;
        }
      }
    }
    return table;
  }

  private static long hash(byte[] data, long seed) {
    long h = seed;
    for (byte b : data) {
      h = mix(h ^ (b & 0xff), seed);
    }
    return mix(h ^ data.length, seed);
  }

  /** A 64-bit finaliser (SplitMix64 style) so nearby ids land far apart. */
  private static long mix(long v, long seed) {
    long z = v + seed;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public String name() {
    return "mh";
  }
}
