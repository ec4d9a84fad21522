package io.vigil.fencing.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * May the resources of a lost node be recovered elsewhere? Pure. Only when the node is known down: fenced
 * after it was lost, confirmed by an operator, its lease expired (when trusted), or fencing is disabled.
 * Otherwise they stay blocked and the answer says why (for status) and when to ask again.
 */
public final class RecoveryGate {
  private RecoveryGate() {}

  /** The gate's answer. */
  public sealed interface Answer {
    String reason();
  }

  public record Recover(String reason) implements Answer {}

  public record Blocked(String reason, Optional<Instant> recheckAt) implements Answer {}

  public static Answer check(NodeFencingState st, boolean quorate, Pauses pauses, PolicySettings s, Instant now) {
    String n = "'" + st.node() + "'";
    if (!st.isLost()) return new Blocked(n + " is not lost; its resources are not recovered elsewhere", Optional.empty());
    if (st.confirmedBy().isPresent()) return new Recover(n + " confirmed down by " + st.confirmedBy().get());
    if (st.isDownSinceLoss()) return new Recover(n + " fenced at " + st.fencedAt().orElseThrow());
    if (!s.fencingEnabled()) return new Recover("fencing is disabled: " + n + " is assumed down (unsafe)");
    Optional<Instant> lease = FencingPolicy.leaseExpiry(st, s);
    if (lease.isPresent() && !now.isBefore(lease.get())) return new Recover("lease of " + n + " expired at " + lease.get());
    Decision d = FencingPolicy.decide(FencingPolicy.automatic(st.node(), s, "cluster"), st, quorate, pauses, s, now);
    String why = switch (d) {
      case Decision.Blocked b -> b.reason();
      case Decision.Fence f -> "fencing of " + n + " is pending or in progress; its resources stay blocked until it succeeds";
      case Decision.TreatAsFenced t -> t.reason();
      case Decision.NotNeeded x -> x.reason();
    };
    return new Blocked(why, d.nextDeadline().or(() -> lease));
  }
}
