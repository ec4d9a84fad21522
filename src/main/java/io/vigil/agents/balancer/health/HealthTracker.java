package io.vigil.agents.balancer.health;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Pure bookkeeping of check results for a set of real servers: feeds each result through the
 * server's {@link RiseFall} and returns the event to emit, if anything changed. Synchronized so
 * probe threads can report concurrently.
 */
public final class HealthTracker {
  private final Map<String, RiseFall> states = new HashMap<>();
  private final Map<String, OptionalInt> weights = new HashMap<>();

  /** Tracks the given servers, each starting in the policy's initial state. */
  public HealthTracker(Map<String, CheckSpec.CheckPolicy> policies) {
    policies.forEach((id, p) -> {
      states.put(id, RiseFall.initial(p.rise(), p.fall(), p.startDown()));
      weights.put(id, OptionalInt.empty());
    });
  }

  /** Applies one result; returns the state or weight change it caused. */
  public synchronized Optional<HealthEvent> apply(String serverId, CheckResult result, Instant at) {
    RiseFall before = states.get(serverId);
    if (before == null) {
      throw new IllegalArgumentException("no health state for real server '" + serverId + "', known: " + states.keySet());
    }
    RiseFall after = before.next(result.healthy());
    states.put(serverId, after);
    OptionalInt oldWeight = weights.get(serverId);
    boolean weightChanged = result.weight().isPresent() && !result.weight().equals(oldWeight);
    if (weightChanged) {
      weights.put(serverId, result.weight());
    }
    if (before.state() != after.state() || weightChanged) {
      return Optional.of(new HealthEvent(serverId, before.state(), after.state(),
          weightChanged ? result.weight() : OptionalInt.empty(), result.detail(), at));
    }
    return Optional.empty();
  }

  /** Current state of a server. */
  public synchronized HealthState state(String serverId) {
    return states.get(serverId).state();
  }

  /** Servers currently UP. */
  public synchronized List<String> up() {
    return states.entrySet().stream().filter(e -> e.getValue().state() == HealthState.UP).map(Map.Entry::getKey).sorted().toList();
  }
}
