package io.vigil.fencing.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.topology.FenceOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecoveryGateTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final PolicySettings S = PolicySettings.DEFAULTS;
  private final NodeFencingState lost = NodeFencingState.member("beta", true).lost(T0, Optional.empty());

  private static FenceOperation op(boolean ok, Instant at) {
    return new FenceOperation("x", "beta", FenceAction.OFF, FenceRequest.Kind.AUTOMATIC, "alpha", "node lost", at, at, ok,
        ok ? Optional.of(1) : Optional.empty(), ok ? "ok" : "pdu refused", List.of());
  }

  @Test
  void resourcesOfALostNodeStayBlockedUntilItIsFenced() {
    assertThat(RecoveryGate.check(lost, true, Pauses.NONE, S, T0)).isInstanceOfSatisfying(RecoveryGate.Blocked.class,
        b -> assertThat(b.reason()).contains("pending or in progress"));
    assertThat(RecoveryGate.check(lost.after(op(true, T0.plusSeconds(2))), true, Pauses.NONE, S, T0.plusSeconds(2)))
        .isInstanceOf(RecoveryGate.Recover.class);
  }

  @Test
  void failedFencingKeepsThemBlockedWithTheReason() {
    var answer = RecoveryGate.check(lost.after(op(false, T0)), true, Pauses.NONE, S, T0.plusSeconds(1));
    assertThat(answer).isInstanceOfSatisfying(RecoveryGate.Blocked.class, b -> {
      assertThat(b.reason()).contains("pdu refused");
      assertThat(b.recheckAt()).contains(T0.plusSeconds(5));
    });
  }

  @Test
  void fencingBeforeTheLossDoesNotCount() {
    NodeFencingState old = NodeFencingState.member("beta", true).after(op(true, T0.minusSeconds(100))).lost(T0, Optional.empty());
    assertThat(RecoveryGate.check(old, true, Pauses.NONE, S, T0)).isInstanceOf(RecoveryGate.Blocked.class);
  }

  @Test
  void pausedFencingBlocksRecoveryUntilOperatorConfirms() {
    Pauses p = Pauses.NONE.pause(Optional.empty(), Duration.ofMinutes(30), "upgrade", "root", T0);
    assertThat(RecoveryGate.check(lost, true, p, S, T0.plusSeconds(10)))
        .isInstanceOfSatisfying(RecoveryGate.Blocked.class, b -> assertThat(b.reason()).contains("paused"));
    assertThat(RecoveryGate.check(lost.confirmedBy("root"), true, p, S, T0.plusSeconds(10)))
        .isInstanceOfSatisfying(RecoveryGate.Recover.class, r -> assertThat(r.reason()).contains("confirmed down by root"));
  }

  @Test
  void trustedLeaseRecoversAfterLeasePlusMargin() {
    PolicySettings leases = S.withLeases(true, Duration.ofSeconds(10), Duration.ofSeconds(5));
    NodeFencingState st = NodeFencingState.member("beta", false).lost(T0, Optional.of(T0));
    assertThat(RecoveryGate.check(st, true, Pauses.NONE, leases, T0.plusSeconds(14)))
        .isInstanceOfSatisfying(RecoveryGate.Blocked.class, b -> assertThat(b.recheckAt()).contains(T0.plusSeconds(15)));
    assertThat(RecoveryGate.check(st, true, Pauses.NONE, leases, T0.plusSeconds(15))).isInstanceOf(RecoveryGate.Recover.class);
  }

  @Test
  void memberNodeIsNeverRecoveredElsewhere() {
    assertThat(RecoveryGate.check(NodeFencingState.member("beta", true), true, Pauses.NONE, S, T0))
        .isInstanceOf(RecoveryGate.Blocked.class);
  }
}
