package io.vigil.agents.balancer.agent;

import io.vigil.agents.balancer.ServerStatus;
import io.vigil.agents.balancer.health.HealthState;
import java.util.List;

/**
 * The live counters of one running virtual service at one moment: per real server (the sorry
 * server in pool "sorry") and summed. Plain values only, so it serialises as JSON as it is.
 *
 * @param resource the cluster resource (instance) running it
 * @param listen the bound address, host:port
 * @param startedMillis when this node started it (epoch milliseconds)
 */
public record BalancerSnapshot(String resource, String service, String listen, boolean listening, long startedMillis,
    List<ServerStatus> servers) {

  public BalancerSnapshot {
    servers = List.copyOf(servers);
  }

  /** Sums over the real servers (the sorry server included: its connections are the service's too). */
  public Totals totals() {
    int active = 0;
    int inactive = 0;
    long conns = 0;
    long failed = 0;
    long in = 0;
    long out = 0;
    int up = 0;
    int real = 0;
    for (ServerStatus s : servers) {
      active += s.active();
      inactive += s.inactive();
      conns += s.connections();
      failed += s.failedConnects();
      in += s.bytesIn();
      out += s.bytesOut();
      if (!s.pool().equals(io.vigil.agents.balancer.BalancerEngine.SORRY_POOL)) {
        real++;
        if (s.health() == HealthState.UP) up++;
      }
    }
    return new Totals(active, inactive, conns, failed, in, out, up, real);
  }

  /** Service-wide sums; {@code up} of {@code realServers} pass their checks. */
  public record Totals(int active, int inactive, long connections, long failedConnects, long bytesIn, long bytesOut, int up,
      int realServers) {}
}
