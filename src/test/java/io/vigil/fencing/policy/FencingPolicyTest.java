package io.vigil.fencing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.fencing.FenceAction;
import io.vigil.fencing.FenceRequest;
import io.vigil.fencing.topology.FenceOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The policy as plain inputs and outputs: no clock, no threads. */
class FencingPolicyTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final PolicySettings S = PolicySettings.DEFAULTS;
  private final NodeFencingState lostBeta = NodeFencingState.member("beta", true).lost(T0, Optional.of(T0.minusSeconds(1)));

  private static FenceRequest auto() {
    return FencingPolicy.automatic("beta", S, "alpha");
  }

  private static FenceRequest operator() {
    return new FenceRequest("beta", FenceAction.OFF, FenceRequest.Kind.OPERATOR, "root", "stuck", Optional.empty());
  }

  private static FenceOperation op(boolean ok, Instant at) {
    return new FenceOperation("x", "beta", FenceAction.REBOOT, FenceRequest.Kind.AUTOMATIC, "alpha", "node lost", at, at,
        ok, ok ? Optional.of(1) : Optional.empty(), ok ? "ok" : "ipmi unreachable", List.of());
  }

  @Test
  void automaticFencingNeedsQuorumButAnOperatorRequestDoesNot() {
    Decision d = FencingPolicy.decide(auto(), lostBeta, false, Pauses.NONE, S, T0);
    assertThat(d).isInstanceOf(Decision.Blocked.class);
    assertThat(((Decision.Blocked) d).reason()).startsWith("no quorum");
    assertThat(FencingPolicy.decide(operator(), lostBeta, false, Pauses.NONE, S, T0)).isInstanceOf(Decision.Fence.class);
  }

  @Test
  void quorateLossOfANodeWithADeviceIsFencedWithTheClusterTimeout() {
    Decision d = FencingPolicy.decide(auto(), lostBeta, true, Pauses.NONE, S, T0);
    assertThat(d).isInstanceOfSatisfying(Decision.Fence.class, f -> {
      assertThat(f.request().action()).isEqualTo(FenceAction.REBOOT);
      assertThat(f.request().timeout()).contains(Duration.ofSeconds(60));
    });
  }

  @Test
  void pauseBlocksAutomaticFencingUntilItsDeadlineThenFencingResumes() {
    Pauses p = Pauses.NONE.pause(Optional.empty(), Duration.ofMinutes(30), "kernel upgrade", "root", T0);
    Decision during = FencingPolicy.decide(auto(), lostBeta, true, p, S, T0.plusSeconds(60));
    assertThat(during).isInstanceOfSatisfying(Decision.Blocked.class, b -> {
      assertThat(b.reason()).contains("fencing is paused (cluster-wide, by root: kernel upgrade)");
      assertThat(b.nextDeadline()).contains(T0.plus(Duration.ofMinutes(30)));
    });
    assertThat(FencingPolicy.decide(auto(), lostBeta, true, p, S, T0.plus(Duration.ofMinutes(30))))
        .isInstanceOf(Decision.Fence.class);
  }

  @Test
  void nodePauseCoversOnlyThatNodeAndResumeEndsItEarly() {
    Pauses p = Pauses.NONE.pause(Optional.of("gamma"), Duration.ofHours(1), "upgrade gamma", "root", T0);
    assertThat(FencingPolicy.decide(auto(), lostBeta, true, p, S, T0)).isInstanceOf(Decision.Fence.class);
    Pauses beta = p.pause(Optional.of("beta"), Duration.ofHours(1), "upgrade beta", "root", T0);
    assertThat(FencingPolicy.decide(auto(), lostBeta, true, beta, S, T0)).isInstanceOf(Decision.Blocked.class);
    Pauses resumed = beta.resume(Optional.of("beta"), false, T0.plusSeconds(5));
    assertThat(FencingPolicy.decide(auto(), lostBeta, true, resumed, S, T0.plusSeconds(5))).isInstanceOf(Decision.Fence.class);
    assertThat(resumed.active(T0.plusSeconds(5))).extracting(PauseWindow::reason).containsExactly("upgrade gamma");
  }

  @Test
  void pauseNeedsAReasonAndABoundedLength() {
    assertThatThrownBy(() -> Pauses.NONE.pause(Optional.empty(), Duration.ofMinutes(5), " ", "root", T0))
        .hasMessageContaining("needs a reason");
    assertThatThrownBy(() -> Pauses.NONE.pause(Optional.empty(), Duration.ofDays(8), "x", "root", T0))
        .hasMessageContaining("not between 1s and 7d");
  }

  @Test
  void nodeInMaintenanceIsNotFencedAutomatically() {
    Decision d = FencingPolicy.decide(auto(), lostBeta.withMaintenance(true), true, Pauses.NONE, S, T0);
    assertThat(d).isInstanceOfSatisfying(Decision.Blocked.class, b -> assertThat(b.reason()).contains("maintenance"));
  }

  @Test
  void failedFencingIsRetriedWithBackoffAndSaysWhy() {
    NodeFencingState once = lostBeta.after(op(false, T0));
    Decision d = FencingPolicy.decide(auto(), once, true, Pauses.NONE, S, T0.plusSeconds(1));
    assertThat(d).isInstanceOfSatisfying(Decision.Blocked.class, b -> {
      assertThat(b.reason()).contains("failed 1 time(s) (last: ipmi unreachable)").contains("stay blocked");
      assertThat(b.nextDeadline()).contains(T0.plusSeconds(5));
    });
    assertThat(FencingPolicy.decide(auto(), once, true, Pauses.NONE, S, T0.plusSeconds(5))).isInstanceOf(Decision.Fence.class);
    NodeFencingState thrice = once.after(op(false, T0.plusSeconds(5))).after(op(false, T0.plusSeconds(20)));
    assertThat(FencingPolicy.decide(auto(), thrice, true, Pauses.NONE, S, T0.plusSeconds(21)).nextDeadline())
        .contains(T0.plusSeconds(40));
  }

  @Property
  void backoffDoublesAndIsCapped(@ForAll @IntRange(min = 1, max = 60) int failures) {
    Duration b = S.backoff(failures);
    assertThat(b).isLessThanOrEqualTo(S.retryMax()).isGreaterThanOrEqualTo(S.retryBase());
    assertThat(S.backoff(failures + 1)).isGreaterThanOrEqualTo(b);
  }

  @Test
  void successfulFencingMeansNotNeededAgain() {
    NodeFencingState fenced = lostBeta.after(op(true, T0.plusSeconds(3)));
    assertThat(FencingPolicy.decide(auto(), fenced, true, Pauses.NONE, S, T0.plusSeconds(4))).isInstanceOf(Decision.NotNeeded.class);
  }

  @Test
  void trustedLeaseSettlesALostNodeWithoutADeviceOnceLeasePlusMarginHasPassed() {
    PolicySettings leases = S.withLeases(true, Duration.ofSeconds(10), Duration.ofSeconds(5));
    NodeFencingState noDevice = NodeFencingState.member("beta", false).lost(T0, Optional.of(T0.minusSeconds(2)));
    Decision early = FencingPolicy.decide(auto(), noDevice, true, Pauses.NONE, leases, T0);
    assertThat(early).isInstanceOfSatisfying(Decision.Blocked.class,
        b -> assertThat(b.nextDeadline()).contains(T0.plusSeconds(13)));
    assertThat(FencingPolicy.decide(auto(), noDevice, true, Pauses.NONE, leases, T0.plusSeconds(13)))
        .isInstanceOf(Decision.TreatAsFenced.class);
    assertThat(FencingPolicy.decide(auto(), noDevice, true, Pauses.NONE, S, T0.plusSeconds(3600)))
        .isInstanceOfSatisfying(Decision.Blocked.class, b -> assertThat(b.reason()).contains("vigil fence confirm beta --yes"));
  }

  @Test
  void fencingDisabledTreatsTheNodeAsDownAndSaysItIsUnsafe() {
    PolicySettings off = new PolicySettings(false, FenceAction.REBOOT, Duration.ofSeconds(60), false, Duration.ofSeconds(10),
        Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(5));
    assertThat(FencingPolicy.decide(auto(), lostBeta, true, Pauses.NONE, off, T0))
        .isInstanceOfSatisfying(Decision.TreatAsFenced.class, t -> assertThat(t.reason()).contains("unsafe"));
  }
}
