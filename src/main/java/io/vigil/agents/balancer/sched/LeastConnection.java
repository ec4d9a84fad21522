package io.vigil.agents.balancer.sched;

import java.util.List;
import java.util.Optional;

/**
 * The least-connection family (ip_vs_lc, ip_vs_wlc, ip_vs_sed, ip_vs_nq). Each picks the
 * available server with the smallest overhead, per weight for the weighted ones; ties go to the
 * server listed first, as in the kernel's strict "greater than" comparisons.
 */
final class LeastConnection implements Scheduler {

  /** Which member of the family. */
  enum Kind {
    /** overhead = active*256 + inactive, weights ignored (except 0 = quiescent). */
    LC("lc"),
    /** overhead/weight with overhead = active*256 + inactive. */
    WLC("wlc"),
    /** shortest expected delay: (active+1)/weight. */
    SED("sed"),
    /** never queue: an idle server (no active connections) first, else sed. */
    NQ("nq");

    final String ipvsName;

    Kind(String ipvsName) {
      this.ipvsName = ipvsName;
    }
  }

  private final Kind kind;

  LeastConnection(Kind kind) {
    this.kind = kind;
  }

  @Override
  public Optional<RealServer> select(List<RealServer> servers, ConnKey key) {
    RealServer least = null;
    long leastOverhead = 0;
    for (RealServer s : servers) {
      if (!s.available()) {
        continue;
      }
      if (kind == Kind.NQ && s.activeConns() == 0) {
        return Optional.of(s);
      }
      long overhead = overhead(s);
      if (least == null || better(overhead, s.weight(), leastOverhead, least.weight())) {
        least = s;
        leastOverhead = overhead;
      }
    }
    return Optional.ofNullable(least);
  }

  private long overhead(RealServer s) {
    return switch (kind) {
      case LC, WLC -> s.overhead();
      case SED, NQ -> s.activeConns() + 1L;
    };
  }

  /** Strictly better: compares overhead/weight by cross-multiplication, as the kernel does. */
  private boolean better(long overhead, int weight, long leastOverhead, int leastWeight) {
    if (kind == Kind.LC) {
      return overhead < leastOverhead;
    }
    return leastOverhead * weight > overhead * leastWeight;
  }

  /** Least weighted overhead among available servers (used by lblc/lblcr to place new entries). */
  static Optional<RealServer> leastWeighted(List<RealServer> servers) {
    return new LeastConnection(Kind.WLC).select(servers, null);
  }

  @Override
  public String name() {
    return kind.ipvsName;
  }
}
