package io.vigil.agents.balancer.sched;

import java.util.List;
import java.util.Optional;

/**
 * wrr (ip_vs_wrr): a current weight starts at the maximum weight and drops by the gcd of all
 * weights on every pass over the list; a server is picked when its weight is at least the
 * current weight. Over one full cycle of sum(weights)/gcd picks each server gets weight/gcd.
 */
final class WeightedRoundRobin implements Scheduler {
  private int index = -1;
  private int currentWeight;
  private List<String> lastMembers = List.of();
  private List<Integer> lastWeights = List.of();

  @Override
  public Optional<RealServer> select(List<RealServer> servers, ConnKey key) {
    int n = servers.size();
    int gcd = 0;
    int max = 0;
    for (RealServer s : servers) {
      if (s.weight() > 0) {
        gcd = gcd == 0 ? s.weight() : gcd(gcd, s.weight());
        max = Math.max(max, s.weight());
      }
    }
    if (max == 0) {
      return Optional.empty();
    }
    maybeReset(servers, max);
    // One pass per weight level plus one: enough to visit every eligible server at least once.
    long bound = (long) n * (max / gcd + 1) + n;
    for (long step = 0; step < bound; step++) {
      index = (index + 1) % n;
      if (index == 0) {
        currentWeight -= gcd;
        if (currentWeight <= 0) {
          currentWeight = max;
        }
      }
      RealServer s = servers.get(index);
      if (s.available() && s.weight() >= currentWeight) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Like the kernel's dest_changed hook: restart the cycle when members or weights change. */
  private void maybeReset(List<RealServer> servers, int max) {
    List<String> members = servers.stream().map(RealServer::id).toList();
    List<Integer> weights = servers.stream().map(RealServer::weight).toList();
    if (!members.equals(lastMembers) || !weights.equals(lastWeights)) {
      lastMembers = members;
      lastWeights = weights;
      index = -1;
      currentWeight = 0;
    }
    if (currentWeight > max) {
      currentWeight = 0;
    }
  }

  static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  @Override
  public String name() {
    return "wrr";
  }
}
