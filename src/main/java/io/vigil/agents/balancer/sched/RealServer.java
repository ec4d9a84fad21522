package io.vigil.agents.balancer.sched;

import java.util.Objects;

/**
 * Immutable view of one real server as a scheduler sees it at one instant.
 *
 * @param id stable identity ("host:port"); hashing schedulers hash it, so it must not change
 * @param weight effective weight; 0 means quiescent (no new connections)
 * @param activeConns established connections (IPVS "ActiveConn")
 * @param inactiveConns connecting or half-closed connections (IPVS "InActConn")
 * @param overloaded the upper-threshold flag (see {@link Overload})
 */
public record RealServer(String id, int weight, int activeConns, int inactiveConns, boolean overloaded) {

  public RealServer {
    Objects.requireNonNull(id, "id");
    if (weight < 0 || activeConns < 0 || inactiveConns < 0) {
      throw new IllegalArgumentException(
          "real server " + id + ": weight/active/inactive must be >= 0, got "
              + weight + "/" + activeConns + "/" + inactiveConns);
    }
  }

  /** A server with the given weight and no connections. */
  public static RealServer of(String id, int weight) {
    return new RealServer(id, weight, 0, 0, false);
  }

  /** Whether any scheduler may give it a new connection: weight above 0 and not overloaded. */
  public boolean available() {
    return weight > 0 && !overloaded;
  }

  /** IPVS's connection overhead used by lc/wlc/lblc: active connections cost 256 inactive ones. */
  public long overhead() {
    return ((long) activeConns << 8) + inactiveConns;
  }

  /** Copy with different connection counts. */
  public RealServer withConns(int active, int inactive) {
    return new RealServer(id, weight, active, inactive, overloaded);
  }
}
