package io.vigil.agents.balancer.sched;

import java.util.List;
import java.util.Optional;

/** rr: servers in turn, skipping quiescent and overloaded ones (ip_vs_rr). */
final class RoundRobin implements Scheduler {
  private String lastId;

  @Override
  public Optional<RealServer> select(List<RealServer> servers, ConnKey key) {
    int n = servers.size();
    int start = indexAfter(servers, lastId);
    for (int step = 0; step < n; step++) {
      RealServer s = servers.get((start + step) % n);
      if (s.available()) {
        lastId = s.id();
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Position after the last chosen server; remembered by id so membership changes keep the turn. */
  static int indexAfter(List<RealServer> servers, String id) {
    if (id != null) {
      for (int i = 0; i < servers.size(); i++) {
        if (servers.get(i).id().equals(id)) {
          return i + 1;
        }
      }
    }
    return 0;
  }

  @Override
  public String name() {
    return "rr";
  }
}
