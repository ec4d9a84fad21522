package io.vigil.agents.balancer.sched;

import java.util.List;
import java.util.Optional;

/**
 * Chooses the real server for a new connection, as the IPVS scheduler of the same name does.
 * Implementations may keep scheduling state (round-robin position, locality tables) but do no
 * I/O; they are not thread-safe, the caller serialises calls. Servers are in configuration order.
 */
public interface Scheduler {

  /** The chosen server, or empty when none is available (all quiescent, overloaded or absent). */
  Optional<RealServer> select(List<RealServer> servers, ConnKey key);

  /** The ipvsadm name of this scheduler ("wlc"). */
  String name();
}
