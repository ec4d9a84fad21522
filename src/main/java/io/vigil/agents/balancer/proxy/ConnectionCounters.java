package io.vigil.agents.balancer.proxy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one real server, updated by the proxy's event loops and read by the
 * scheduler and status. Active = both directions open; inactive = connecting or half-closed,
 * the closest user-space analogue of IPVS's ActiveConn/InActConn.
 */
public final class ConnectionCounters {
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger inactive = new AtomicInteger();
  private final LongAdder connections = new LongAdder();
  private final LongAdder failedConnects = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();

  /** Immutable copy for status and scheduling. */
  public record Snapshot(int active, int inactive, long connections, long failedConnects, long bytesIn, long bytesOut) {}

  public Snapshot snapshot() {
    return new Snapshot(active.get(), inactive.get(), connections.sum(), failedConnects.sum(), bytesIn.sum(), bytesOut.sum());
  }

  public int active() {
    return active.get();
  }

  public int inactive() {
    return inactive.get();
  }

  void connecting() {
    connections.increment();
    inactive.incrementAndGet();
  }

  void connected() {
    inactive.decrementAndGet();
    active.incrementAndGet();
  }

  void connectFailed() {
    failedConnects.increment();
    inactive.decrementAndGet();
  }

  void halfClosed() {
    active.decrementAndGet();
    inactive.incrementAndGet();
  }

  void closedFromActive() {
    active.decrementAndGet();
  }

  void closedFromInactive() {
    inactive.decrementAndGet();
  }

  /** Bytes from clients to this real server. */
  void addBytesIn(long n) {
    bytesIn.add(n);
  }

  /** Bytes from this real server to clients. */
  void addBytesOut(long n) {
    bytesOut.add(n);
  }
}
