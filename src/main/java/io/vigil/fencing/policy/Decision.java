package io.vigil.fencing.policy;

import io.vigil.fencing.FenceRequest;
import java.time.Instant;
import java.util.Optional;

/** What the policy decided for a fencing request, and when to decide again. */
public sealed interface Decision {
  /** When to call the policy again even if nothing else changes; empty = on the next state change. */
  Optional<Instant> nextDeadline();

  /** Run the topology now. {@code nextDeadline} is set when a lease would settle it earlier. */
  record Fence(FenceRequest request, Optional<Instant> nextDeadline) implements Decision {}

  /** Do not fence now; the node's resources stay blocked; {@code reason} is what status shows. */
  record Blocked(String reason, Optional<Instant> nextDeadline) implements Decision {}

  /** The node counts as down without running a device (lease expired, or fencing disabled). */
  record TreatAsFenced(String reason) implements Decision {
    @Override
    public Optional<Instant> nextDeadline() {
      return Optional.empty();
    }
  }

  /** Nothing to do: the node is already known down since it was lost. */
  record NotNeeded(String reason) implements Decision {
    @Override
    public Optional<Instant> nextDeadline() {
      return Optional.empty();
    }
  }
}
