package io.vigil.agents.volume.sync;

import static io.vigil.agents.volume.meta.DiskState.INCONSISTENT;
import static io.vigil.agents.volume.meta.DiskState.UP_TO_DATE;
import static io.vigil.agents.volume.meta.Role.PRIMARY;
import static io.vigil.agents.volume.meta.Role.SECONDARY;
import static io.vigil.agents.volume.sync.SplitBrainPolicy.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.GenerationIds;
import io.vigil.agents.volume.meta.Role;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {
  private static final long X = 0x1111, Y = 0x2222, Z = 0x3333;

  private static CopyView copy(String node, Role role, DiskState disk, GenerationIds g, int dirty) {
    return new CopyView(node, role, disk, g, false, dirty, "");
  }

  private static GenerationIds gens(long current, long bitmap, long since) {
    return new GenerationIds(current, bitmap, 0, 0, since);
  }

  @Test
  void freshZeroedCopiesAreInSyncWithoutAnyCopying() {
    CopyView a = copy("a", SECONDARY, UP_TO_DATE, GenerationIds.zeroed(), 0);
    CopyView b = copy("b", SECONDARY, UP_TO_DATE, GenerationIds.zeroed(), 0);
    assertThat(SyncPlanner.plan(a, b, DISCONNECT)).isEqualTo(new SyncPlan.InSync());
  }

  @Test
  void sideThatWroteWhileDisconnectedIsSourceOfABitmapResync() {
    CopyView p = copy("a", PRIMARY, UP_TO_DATE, GenerationIds.zeroed().rotate(Y, 5), 3);
    CopyView s = copy("b", SECONDARY, UP_TO_DATE, GenerationIds.zeroed(), 0);
    assertThat(SyncPlanner.plan(p, s, DISCONNECT)).isInstanceOfSatisfying(SyncPlan.Resync.class, r -> {
      assertThat(r.source()).isEqualTo("a");
      assertThat(r.full()).isFalse();
      assertThat(r.splitBrain()).isFalse();
    });
  }

  @Test
  void anOutdatedCopyIsNeverTheSourceAndResyncsFromTheBitmapWhenRelated() {
    // a fenced b and wrote on as Primary, then crashed: a returns Secondary (crashed primary), b is Outdated
    CopyView returned = new CopyView("a", SECONDARY, UP_TO_DATE, GenerationIds.zeroed().rotate(Y, 5), true, 3, "");
    CopyView outdated = copy("b", SECONDARY, DiskState.OUTDATED, GenerationIds.zeroed(), 0);
    assertThat(SyncPlanner.plan(outdated, returned, DISCONNECT)).isInstanceOfSatisfying(SyncPlan.Resync.class, r -> {
      assertThat(r.source()).isEqualTo("a");
      assertThat(r.full()).isFalse();
    });
    // even where the generations alone would make the Outdated copy the source (its own dirty regions), it is not
    CopyView outdatedWithChanges = copy("b", SECONDARY, DiskState.OUTDATED, gens(Z, X, 1), 2);
    CopyView upToDate = copy("a", SECONDARY, UP_TO_DATE, gens(X, 0, 1), 0);
    assertThat(SyncPlanner.plan(upToDate, outdatedWithChanges, DISCONNECT)).isInstanceOfSatisfying(SyncPlan.Resync.class, r -> {
      assertThat(r.source()).isEqualTo("a");
      assertThat(r.full()).as("b's current is unknown to a").isTrue();
    });
    CopyView sameGen = copy("b", SECONDARY, DiskState.OUTDATED, gens(X, 0, 1), 0);
    assertThat(SyncPlanner.plan(sameGen, upToDate, DISCONNECT)).isEqualTo(new SyncPlan.InSync());
  }

  @Test
  void anOutdatedCopyThatWroteAGenerationTheForcedPeerNeverSawIsASplitBrainNotOverwritten() {
    // a, Primary at X, lost b and wrote generation Y (bitmap X); b was forced UpToDate (Z, bitmap X) and
    // promoted by the cluster (W); b's mark then made the returning a Outdated. Both wrote since X.
    CopyView oldPrimary = new CopyView("a", SECONDARY, DiskState.OUTDATED, gens(X, 0, 1).rotate(Y, 5), true, 3, "");
    CopyView forced = copy("b", PRIMARY, UP_TO_DATE, gens(X, 0, 1).rotate(Z, 7).rotate(0x4444, 8), 2);
    for (SyncPlan plan : new SyncPlan[] {SyncPlanner.plan(oldPrimary, forced, DISCONNECT), SyncPlanner.plan(forced, oldPrimary, DISCONNECT)}) {
      assertThat(plan).isInstanceOfSatisfying(SyncPlan.Refuse.class, r -> {
        assertThat(r.splitBrain()).isTrue();
        assertThat(r.reason()).contains("split brain", "Outdated", "resolve");
      });
    }
    // the policy decides as for any split brain; a kept Outdated copy is not special-cased
    assertThat(SyncPlanner.plan(oldPrimary, forced, DISCARD_LEAST_CHANGES)).isInstanceOfSatisfying(SyncPlan.Resync.class,
        r -> assertThat(r.splitBrain()).isTrue());
  }

  @Test
  void promotedSecondaryIsSourceForTheCrashedPrimaryIncludingItsActivityLog() {
    CopyView crashed = new CopyView("a", SECONDARY, UP_TO_DATE, gens(X, 0, 1), true, 4, "");
    CopyView promoted = copy("b", PRIMARY, UP_TO_DATE, gens(X, 0, 1).rotate(Y, 9), 2);
    SyncPlan plan = SyncPlanner.plan(crashed, promoted, DISCONNECT);
    assertThat(plan).isInstanceOfSatisfying(SyncPlan.Resync.class, r -> assertThat(r.source()).isEqualTo("b"));
  }

  /**
   * Found under three real daemons: the Secondary was promoted twice while the crashed Primary was
   * away (the cluster restarted it once), so the crashed Primary's generation moved into the
   * survivor's history; both still share the zeroed generation further back, which was taken for
   * split brain. The returning copy's present is the survivor's past: it is the target (a full
   * sync, as DRBD does when the bitmap generation no longer matches).
   */
  @Test
  void aCopyWhosePresentIsThePeersPastIsTargetNotASplitBrain() {
    GenerationIds parted = new GenerationIds(X, 0, GenerationIds.ZEROED, 0, 5);
    CopyView crashed = new CopyView("a", SECONDARY, UP_TO_DATE, parted, true, 32, "");
    CopyView twicePromoted = copy("b", PRIMARY, UP_TO_DATE, parted.rotate(Y, 9).rotate(Z, 12), 16);
    for (SplitBrainPolicy policy : SplitBrainPolicy.values()) {
      assertThat(SyncPlanner.plan(crashed, twicePromoted, policy)).as(policy.configName())
          .isInstanceOfSatisfying(SyncPlan.Resync.class, r -> {
            assertThat(r.source()).isEqualTo("b");
            assertThat(r.splitBrain()).isFalse();
            assertThat(r.full()).isTrue();
          });
      assertThat(SyncPlanner.plan(twicePromoted, crashed, policy)).isEqualTo(SyncPlanner.plan(crashed, twicePromoted, policy));
    }
  }

  @Test
  void crashedPrimaryWithSameGenerationIsSourceOfItsActivityLogRegions() {
    CopyView crashed = new CopyView("b", SECONDARY, UP_TO_DATE, gens(X, 0, 1), true, 4, "");
    CopyView other = copy("a", SECONDARY, UP_TO_DATE, gens(X, 0, 1), 0);
    assertThat(SyncPlanner.plan(other, crashed, DISCONNECT))
        .isInstanceOfSatisfying(SyncPlan.Resync.class, r -> assertThat(r.source()).isEqualTo("b"));
  }

  @Test
  void inconsistentCopyResumesFromItsSourceOrSyncsFully() {
    CopyView source = copy("a", PRIMARY, UP_TO_DATE, gens(Y, X, 1), 5);
    CopyView resuming = copy("b", SECONDARY, INCONSISTENT, gens(X, 0, 1), 7);
    CopyView blank = copy("b", SECONDARY, INCONSISTENT, new GenerationIds(0, 0, 0, 0, 0), 0);
    assertThat(SyncPlanner.plan(source, resuming, DISCONNECT)).isEqualTo(new SyncPlan.Resync("a", false, false, "b is Inconsistent"));
    assertThat(SyncPlanner.plan(blank, source, DISCONNECT)).isEqualTo(new SyncPlan.Resync("a", true, false, "b is Inconsistent"));
  }

  @Test
  void bothInconsistentIsRefusedWithAHint() {
    CopyView a = copy("a", SECONDARY, INCONSISTENT, gens(0, 0, 0), 0);
    CopyView b = copy("b", SECONDARY, INCONSISTENT, gens(0, 0, 0), 0);
    assertThat(SyncPlanner.plan(a, b, DISCONNECT)).isInstanceOfSatisfying(SyncPlan.Refuse.class,
        r -> assertThat(r.reason()).contains("resolve --keep"));
  }

  private static final CopyView SPLIT_A = copy("a", PRIMARY, UP_TO_DATE, gens(Y, X, 100), 5);
  private static final CopyView SPLIT_B = copy("b", SECONDARY, UP_TO_DATE, gens(Z, X, 200), 2);

  @Test
  void splitBrainIsDetectedAndByDefaultStaysDisconnected() {
    assertThat(SyncPlanner.plan(SPLIT_A, SPLIT_B, DISCONNECT)).isInstanceOfSatisfying(SyncPlan.Refuse.class, r -> {
      assertThat(r.splitBrain()).isTrue();
      assertThat(r.reason()).contains("split brain").contains("resolve");
    });
  }

  @Test
  void discardLeastChangesKeepsTheSideWithMoreChangedRegions() {
    assertThat(SyncPlanner.plan(SPLIT_A, SPLIT_B, DISCARD_LEAST_CHANGES))
        .isInstanceOfSatisfying(SyncPlan.Resync.class, r -> {
          assertThat(r.source()).isEqualTo("a");
          assertThat(r.splitBrain()).isTrue();
          assertThat(r.full()).isFalse();
        });
    CopyView tie = copy("b", SECONDARY, UP_TO_DATE, gens(Z, X, 200), 5);
    assertThat(SyncPlanner.plan(SPLIT_A, tie, DISCARD_LEAST_CHANGES)).isInstanceOf(SyncPlan.Refuse.class);
  }

  @Test
  void discardYoungerPrimaryKeepsTheOlderGeneration() {
    assertThat(SyncPlanner.plan(SPLIT_B, SPLIT_A, DISCARD_YOUNGER_PRIMARY))
        .isInstanceOfSatisfying(SyncPlan.Resync.class, r -> assertThat(r.source()).isEqualTo("a"));
  }

  @Test
  void discardZeroChangesOnlyActsWhenOneSideIsUntouched() {
    assertThat(SyncPlanner.plan(SPLIT_A, SPLIT_B, DISCARD_ZERO_CHANGES)).isInstanceOf(SyncPlan.Refuse.class);
    CopyView untouched = copy("b", SECONDARY, UP_TO_DATE, gens(Z, X, 200), 0);
    assertThat(SyncPlanner.plan(untouched, SPLIT_A, DISCARD_ZERO_CHANGES))
        .isInstanceOfSatisfying(SyncPlan.Resync.class, r -> assertThat(r.source()).isEqualTo("a"));
  }

  @Test
  void manualResolveKeepsTheNamedNodeFromEitherSide() {
    CopyView b = new CopyView("b", SECONDARY, UP_TO_DATE, gens(Z, X, 200), false, 2, "b");
    assertThat(SyncPlanner.plan(SPLIT_A, b, DISCONNECT)).isEqualTo(new SyncPlan.Resync("b", false, true, "manual resolve keeps b"));
    CopyView a = new CopyView("a", PRIMARY, UP_TO_DATE, gens(Y, X, 100), false, 5, "a");
    assertThat(SyncPlanner.plan(a, b, DISCONNECT)).isInstanceOf(SyncPlan.Refuse.class);
  }

  @Test
  void dualPrimaryIsRefused() {
    CopyView a = copy("a", PRIMARY, UP_TO_DATE, GenerationIds.zeroed(), 0);
    CopyView b = copy("b", PRIMARY, UP_TO_DATE, GenerationIds.zeroed(), 0);
    assertThat(SyncPlanner.plan(a, b, DISCARD_LEAST_CHANGES)).isInstanceOfSatisfying(SyncPlan.Refuse.class,
        r -> assertThat(r.reason()).contains("dual-primary is not supported"));
  }

  @Test
  void unrelatedDataIsRefused() {
    CopyView a = copy("a", SECONDARY, UP_TO_DATE, gens(Y, 0, 1), 0);
    CopyView b = copy("b", SECONDARY, UP_TO_DATE, gens(Z, 0, 1), 0);
    assertThat(SyncPlanner.plan(a, b, DISCARD_ZERO_CHANGES)).isInstanceOfSatisfying(SyncPlan.Refuse.class,
        r -> assertThat(r.reason()).contains("unrelated data"));
  }

  @Test
  void aFreshCopyAgainstUnrelatedDataIsTheTargetOfAFullSync() {
    CopyView fresh = copy("a", SECONDARY, UP_TO_DATE, GenerationIds.zeroed(), 0);
    CopyView seeded = copy("b", SECONDARY, UP_TO_DATE, gens(Y, 0, 0), 0); // create --from b: a new generation, no history
    for (SyncPlan p : new SyncPlan[] {SyncPlanner.plan(fresh, seeded, DISCONNECT), SyncPlanner.plan(seeded, fresh, DISCONNECT)}) {
      assertThat(p).isInstanceOfSatisfying(SyncPlan.Resync.class, r -> {
        assertThat(r.source()).isEqualTo("b");
        assertThat(r.full()).isTrue();
        assertThat(r.why()).contains("a's copy is fresh (zero-filled, never written) and b holds data");
      });
    }
    CopyView written = copy("a", SECONDARY, UP_TO_DATE, GenerationIds.zeroed(), 2); // dirty: not fresh
    assertThat(SyncPlanner.plan(written, seeded, DISCONNECT)).isInstanceOf(SyncPlan.Refuse.class);
    CopyView primary = copy("a", PRIMARY, UP_TO_DATE, GenerationIds.zeroed(), 0);
    assertThat(SyncPlanner.plan(primary, seeded, DISCONNECT)).isInstanceOf(SyncPlan.Refuse.class);
  }

  @Test
  void policyNamesParseAndUnknownOnesSayWhatIsExpected() {
    assertThat(SplitBrainPolicy.parse("discard-least-changes")).isEqualTo(DISCARD_LEAST_CHANGES);
    assertThatThrownBy(() -> SplitBrainPolicy.parse("discard-all")).hasMessageContaining("expected disconnect");
  }

  @org.junit.jupiter.api.Test
  void contradictoryHistoriesAreRefusedFromBothSides() {
    // Found by planIsTheSameFromBothSides: each copy lists the other's current generation as its past.
    CopyView a = new CopyView("a", Role.SECONDARY, UP_TO_DATE, new GenerationIds(1, 0, X, 0, 0), true, 0, "");
    CopyView b = new CopyView("b", Role.PRIMARY, UP_TO_DATE, new GenerationIds(X, 0, 1, 0, 0), true, 0, "");
    assertThat(SyncPlanner.plan(a, b, SplitBrainPolicy.DISCONNECT)).isInstanceOf(SyncPlan.Refuse.class);
    assertThat(SyncPlanner.plan(b, a, SplitBrainPolicy.DISCONNECT)).isInstanceOf(SyncPlan.Refuse.class);
    // The same through the bitmaps: each says it changed data since the other's current generation.
    CopyView c = new CopyView("a", Role.PRIMARY, UP_TO_DATE, new GenerationIds(X, 1, 0, 0, 0), true, 0, "");
    CopyView d = new CopyView("b", Role.SECONDARY, UP_TO_DATE, new GenerationIds(1, X, 0, 0, 0), true, 0, "");
    assertThat(SyncPlanner.plan(c, d, SplitBrainPolicy.DISCONNECT)).isInstanceOf(SyncPlan.Refuse.class);
    assertThat(SyncPlanner.plan(d, c, SplitBrainPolicy.DISCONNECT)).isInstanceOf(SyncPlan.Refuse.class);
  }

  @Property(tries = 20000)
  void planIsTheSameFromBothSides(@ForAll("copies") CopyView a, @ForAll("copies") CopyView b, @ForAll SplitBrainPolicy policy) {
    if (a.node().equals(b.node())) return;
    SyncPlan ab = SyncPlanner.plan(a, b, policy);
    SyncPlan ba = SyncPlanner.plan(b, a, policy);
    assertThat(ab.getClass()).isEqualTo(ba.getClass());
    if (ab instanceof SyncPlan.Resync r1 && ba instanceof SyncPlan.Resync r2) {
      assertThat(r1.source()).isEqualTo(r2.source());
      assertThat(r1.full()).isEqualTo(r2.full());
    }
  }

  @Provide
  Arbitrary<CopyView> copies() {
    Arbitrary<Long> gen = Arbitraries.of(0L, 1L, X, Y, Z);
    Arbitrary<GenerationIds> gens = Combinators.combine(gen, gen, gen, Arbitraries.of(0L, 1L, 2L))
        .as((c, bm, h, since) -> new GenerationIds(c, bm, h, 0, since));
    return Combinators.combine(Arbitraries.of("a", "b"), Arbitraries.of(Role.class), Arbitraries.of(UP_TO_DATE, INCONSISTENT,
            DiskState.OUTDATED), gens, Arbitraries.of(true, false), Arbitraries.integers().between(0, 3), Arbitraries.of("", "a", "b", "c"))
        .as(CopyView::new);
  }
}
