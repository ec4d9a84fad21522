package io.vigil.fencing.policy;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether to fence now, pure. Operator requests are explicit: they run without quorum, during pauses and on
 * nodes in maintenance (as Pacemaker's stonith_admin). Automatic requests are checked in this order:
 * fencing disabled, already down, quorum, node maintenance, pause, lease expiry (when trusted), retry backoff,
 * a device exists.
 */
public final class FencingPolicy {
  private FencingPolicy() {}

  /** Decides {@code req} for a node in {@code state}; {@code quorate} is whether this partition has quorum. */
  public static Decision decide(FenceRequest req, NodeFencingState state, boolean quorate, Pauses pauses,
      PolicySettings s, Instant now) {
    if (!req.target().equals(state.node())) {
      throw new IllegalArgumentException("request for '" + req.target() + "' decided with the state of '" + state.node() + "'");
    }
    if (req.kind() == FenceRequest.Kind.OPERATOR) return new Decision.Fence(req, Optional.empty());
    String n = "'" + req.target() + "'";
    if (!s.fencingEnabled()) {
      return new Decision.TreatAsFenced("fencing is disabled (fencing-enabled: false): " + n + " is assumed down (unsafe)");
    }
    if (state.isDownSinceLoss()) {
      return new Decision.NotNeeded(n + " is already down: " + state.confirmedBy().map(o -> "confirmed by " + o)
          .orElseGet(() -> "fenced at " + state.fencedAt().orElseThrow()));
    }
    if (!quorate) {
      return new Decision.Blocked("no quorum: automatic fencing of " + n + " needs quorum; its resources stay blocked",
          Optional.empty());
    }
    if (state.maintenance()) {
      return new Decision.Blocked(n + " is in maintenance: it is not fenced; its resources stay blocked until it "
          + "returns or an operator confirms it is down", Optional.empty());
    }
    Optional<PauseWindow> pause = pauses.covering(req.target(), now);
    if (pause.isPresent()) {
      PauseWindow p = pause.get();
      return new Decision.Blocked("fencing is paused (" + p.scope() + ", by " + p.by() + ": " + p.reason() + ") until "
          + p.until() + "; resources of " + n + " stay blocked until then or until an operator confirms", Optional.of(p.until()));
    }
    Optional<Instant> leaseEnd = leaseExpiry(state, s);
    if (leaseEnd.isPresent() && !now.isBefore(leaseEnd.get())) {
      return new Decision.TreatAsFenced("lease of " + n + " expired at " + leaseEnd.get() + " (lease " + s.lease()
          + " + margin " + s.leaseMargin() + " after its last renewal)");
    }
    if (state.failures() > 0) {
      Instant retryAt = state.lastFailure().orElse(now).plus(s.backoff(state.failures()));
      if (now.isBefore(retryAt)) {
        return new Decision.Blocked("fencing of " + n + " failed " + state.failures() + " time(s) (last: "
            + state.lastFailureReason() + "); retrying at " + retryAt + "; its resources stay blocked",
            earliest(Optional.of(retryAt), leaseEnd));
      }
    }
    if (!state.hasDevice()) {
      return new Decision.Blocked("no device can fence " + n + (leaseEnd.isPresent() ? "; waiting for its lease to expire at "
          + leaseEnd.get() : "; its resources stay blocked until an operator runs 'vigil fence confirm " + req.target() + " --yes'"),
          leaseEnd);
    }
    FenceAction action = req.action();
    return new Decision.Fence(new FenceRequest(req.target(), action, req.kind(), req.requester(), req.reason(),
        Optional.of(req.timeout().orElse(s.timeout()))), leaseEnd);
  }

  /** When survivors may treat the node as down by lease: last renewal + lease + margin, if trusted and known. */
  public static Optional<Instant> leaseExpiry(NodeFencingState state, PolicySettings s) {
    if (!s.trustLeases()) return Optional.empty();
    return state.lastLeaseRenewal().map(r -> r.plus(s.lease()).plus(s.leaseMargin()));
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) return b;
    if (b.isEmpty()) return a;
    return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }

  /** The automatic request for a lost node with the cluster's fencing action. */
  public static FenceRequest automatic(String node, PolicySettings s, String requester) {
    return new FenceRequest(node, s.action(), FenceRequest.Kind.AUTOMATIC, requester, "node lost", Optional.of(s.timeout()));
  }
}
