package io.vigil.agents.balancer;

import java.time.Instant;

/** Something the balancer did that belongs in the cluster history. */
public sealed interface BalancerEvent {
  String service();

  Instant at();

  /** A real server failed its checks and was removed or quiesced. */
  record RealServerDown(String service, String server, VirtualService.OnFailure action, String reason, Instant at)
      implements BalancerEvent {}

  /** A real server passed its checks again and was re-added. */
  record RealServerUp(String service, String server, String reason, Instant at) implements BalancerEvent {}

  /** A real server's weight changed (dynamic check, drain, operator). */
  record WeightChanged(String service, String server, int from, int to, String reason, Instant at)
      implements BalancerEvent {}

  /** No real server of a pool is available: new clients go to the sorry server (or are refused). */
  record SorryServerActive(String service, String pool, boolean configured, Instant at) implements BalancerEvent {}

  /** A real server of the pool is available again. */
  record SorryServerInactive(String service, String pool, Instant at) implements BalancerEvent {}
}
