package io.vigil.fencing.topology;

import io.vigil.fencing.policy.Decision;
import io.vigil.fencing.policy.FencingPolicy;
import io.vigil.fencing.policy.NodeFencingState;
import io.vigil.fencing.policy.Pauses;
import io.vigil.fencing.policy.PolicySettings;
import io.vigil.fencing.policy.RecoveryGate;
import java.time.Instant;
import java.util.Optional;

/**
 * One step of handling a lost node, for the runtime's loop: ask the policy, run the topology when it says
 * fence, fold the operation into the node's state, and ask the recovery gate. The caller stores the new state
 * (replicated), shows {@code gate.reason()} in status, and calls again at {@code nextDeadline} or on change.
 */
public final class FencingCoordinator {
  private final FencingEngine engine;
  private final PolicySettings settings;
  private final String requester;

  /** What one step did and decided. */
  public record Step(NodeFencingState state, Decision decision, Optional<FenceOperation> operation,
      RecoveryGate.Answer gate, Optional<Instant> nextDeadline) {}

  /**
   * @param requester recorded in the history for automatic operations (the deciding node)
   */
  public FencingCoordinator(FencingEngine engine, PolicySettings settings, String requester) {
    this.engine = engine;
    this.settings = settings;
    this.requester = requester;
  }

  public Step step(NodeFencingState st, boolean quorate, Pauses pauses, Instant now) throws InterruptedException {
    Decision d = FencingPolicy.decide(FencingPolicy.automatic(st.node(), settings, requester), st, quorate, pauses, settings, now);
    Optional<FenceOperation> op = Optional.empty();
    NodeFencingState next = st;
    Instant after = now;
    if (d instanceof Decision.Fence f) {
      FenceOperation done = engine.fence(f.request());
      op = Optional.of(done);
      next = st.after(done);
      after = done.finished().isAfter(now) ? done.finished() : now;
    }
    RecoveryGate.Answer gate = RecoveryGate.check(next, quorate, pauses, settings, after);
    Optional<Instant> deadline = gate instanceof RecoveryGate.Blocked b ? b.recheckAt() : Optional.empty();
    return new Step(next, d, op, gate, deadline);
  }
}
