package io.vigil.agents.volume.sync;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.GenerationIds;
import io.vigil.agents.volume.meta.Role;
import java.util.Optional;

/**
 * Decides what happens when two copies of a volume connect, from their generation identifiers
 * (after DRBD's UUID comparison). The function is symmetric: {@code plan(a, b)} and
 * {@code plan(b, a)} name the same source, so both nodes act alike without further negotiation.
 *
 * <p>Generations: a Primary starts a new generation when it loses its peer or is promoted while
 * disconnected, and keeps the previous one as its bitmap generation. So if one side's bitmap
 * generation is the other's current, only the first side wrote since they parted; if both bitmap
 * generations are equal and both currents differ, both wrote: split brain.
 */
public final class SyncPlanner {
  private SyncPlanner() {}

  public static SyncPlan plan(CopyView a, CopyView b, SplitBrainPolicy policy) {
    if (a.role() == Role.PRIMARY && b.role() == Role.PRIMARY) {
      return new SyncPlan.Refuse("both " + a.node() + " and " + b.node() + " are Primary; dual-primary is not supported", true);
    }
    if (a.disk() == DiskState.DISKLESS || b.disk() == DiskState.DISKLESS) {
      return new SyncPlan.Refuse("diskless peers are not supported", false);
    }
    Optional<SyncPlan> manual = manual(a, b);
    if (manual.isPresent()) return manual.get();
    boolean aUsable = a.disk() != DiskState.INCONSISTENT;
    boolean bUsable = b.disk() != DiskState.INCONSISTENT;
    if (!aUsable && !bUsable) {
      return new SyncPlan.Refuse("both copies are Inconsistent, so neither holds good data; run 'vigil volume resolve --keep NODE'", false);
    }
    if (!aUsable || !bUsable) {
      CopyView source = aUsable ? a : b;
      CopyView target = aUsable ? b : a;
      long t = target.gens().current();
      boolean related = t != GenerationIds.NONE && (t == source.gens().current() || t == source.gens().bitmap());
      return new SyncPlan.Resync(source.node(), !related, false, target.node() + " is Inconsistent");
    }
    if ((a.disk() == DiskState.OUTDATED) != (b.disk() == DiskState.OUTDATED)) {
      // The cluster recorded that the Outdated copy missed writes: it is never the source, whatever the generations say.
      CopyView source = a.disk() == DiskState.OUTDATED ? b : a;
      CopyView target = source == a ? b : a;
      long t = target.gens().current();
      if (t == source.gens().current() && a.dirtyRegions() == 0 && b.dirtyRegions() == 0) return new SyncPlan.InSync();
      boolean related = t == source.gens().current() || t == source.gens().bitmap();
      if (!related && !source.gens().hasInHistory(t) && (ancestor(a.gens(), b.gens()) || ancestor(b.gens(), a.gens()))) {
        // The Outdated copy wrote a generation the other never saw (the other was forced UpToDate by an
        // operator, 'primary --force', while this one was Primary without it): both changed data, so
        // overwriting either silently would lose acknowledged writes. A split brain, for the policy.
        return splitBrain(a, b, policy);
      }
      return new SyncPlan.Resync(source.node(), !related, false, target.node() + " is Outdated");
    }
    GenerationIds ga = a.gens();
    GenerationIds gb = b.gens();
    if (ga.current() == gb.current()) {
      if (a.dirtyRegions() == 0 && b.dirtyRegions() == 0) return new SyncPlan.InSync();
      String source = sameGenerationSource(a, b);
      return new SyncPlan.Resync(source, false, false, "same generation, regions left dirty by an interrupted write stream");
    }
    boolean aChangedSince = ga.bitmap() != 0 && ga.bitmap() == gb.current();
    boolean bChangedSince = gb.bitmap() != 0 && gb.bitmap() == ga.current();
    if (aChangedSince && bChangedSince) return contradictory(a, b);
    if (aChangedSince) {
      return new SyncPlan.Resync(a.node(), false, false, a.node() + " changed data since the copies parted");
    }
    if (bChangedSince) {
      return new SyncPlan.Resync(b.node(), false, false, b.node() + " changed data since the copies parted");
    }
    // One copy's present is the other's past: it has not written since (a Primary that writes
    // after parting starts a new generation), whatever older generations both share, so it is no
    // split brain. A full sync, as DRBD does once the bitmap generation no longer matches.
    boolean aAhead = ga.hasInHistory(gb.current());
    boolean bAhead = gb.hasInHistory(ga.current());
    if (aAhead && bAhead) return contradictory(a, b);
    if (aAhead) return new SyncPlan.Resync(a.node(), true, false, b.node() + " is generations behind");
    if (bAhead) return new SyncPlan.Resync(b.node(), true, false, a.node() + " is generations behind");
    boolean commonAncestor = ancestor(ga, gb) || ancestor(gb, ga);
    if (commonAncestor) return splitBrain(a, b, policy);
    if (fresh(a) != fresh(b)) {
      // A fresh copy was never written (the first promotion leaves ZEROED, GenerationIds.leaveZeroed):
      // it has nothing to lose, e.g. made while the peer, which holds data, could not be asked.
      CopyView target = fresh(a) ? a : b;
      CopyView source = target == a ? b : a;
      return new SyncPlan.Resync(source.node(), true, false, target.node() + "'s copy is fresh (zero-filled, never written) and "
          + source.node() + " holds data");
    }
    return new SyncPlan.Refuse("unrelated data: " + a.node() + " (" + ga + ") and " + b.node() + " (" + gb
        + ") share no generation; run 'vigil volume resolve NAME --keep NODE' to overwrite one", true);
  }

  /** Both copies changed data since they parted: the policy keeps one, or both stay disconnected. */
  private static SyncPlan splitBrain(CopyView a, CopyView b, SplitBrainPolicy policy) {
    String detail = "split brain: " + a.node() + " (" + a.gens() + ", " + a.disk() + ", " + a.dirtyRegions() + " changed regions) and "
        + b.node() + " (" + b.gens() + ", " + b.disk() + ", " + b.dirtyRegions() + " changed regions) both changed data since they parted";
    return policy.survivor(a, b)
        .<SyncPlan>map(s -> new SyncPlan.Resync(s, false, true, detail + "; policy " + policy.configName() + " keeps " + s))
        .orElseGet(() -> new SyncPlan.Refuse(detail + "; policy " + policy.configName()
            + ": staying disconnected, run 'vigil volume resolve NAME --keep NODE'", true));
  }

  /** Each copy claims the other's present as its own past: metadata was copied or tampered with. Never guess. */
  private static SyncPlan contradictory(CopyView a, CopyView b) {
    return new SyncPlan.Refuse("contradictory generations: " + a.node() + " (" + a.gens() + ") and " + b.node() + " ("
        + b.gens() + ") each record the other's current generation as their past; run 'vigil volume resolve NAME --keep NODE'",
        true);
  }

  private static Optional<SyncPlan> manual(CopyView a, CopyView b) {
    String ka = a.resolveKeep();
    String kb = b.resolveKeep();
    if (ka.isEmpty() && kb.isEmpty()) return Optional.empty();
    if (!ka.isEmpty() && !kb.isEmpty() && !ka.equals(kb)) {
      return Optional.of(new SyncPlan.Refuse("conflicting resolve: " + a.node() + " keeps " + ka + ", " + b.node() + " keeps " + kb, true));
    }
    String keep = ka.isEmpty() ? kb : ka;
    if (!keep.equals(a.node()) && !keep.equals(b.node())) {
      return Optional.of(new SyncPlan.Refuse("resolve names node '" + keep + "', expected " + a.node() + " or " + b.node(), false));
    }
    CopyView kept = keep.equals(a.node()) ? a : b;
    CopyView other = kept == a ? b : a;
    if (kept.disk() == DiskState.INCONSISTENT && other.disk() != DiskState.INCONSISTENT) {
      return Optional.of(new SyncPlan.Refuse("resolve keeps " + keep + " but its copy is Inconsistent", false));
    }
    boolean related = kept.gens().current() == other.gens().current() || ancestor(kept.gens(), other.gens())
        || ancestor(other.gens(), kept.gens()) || kept.gens().bitmap() == other.gens().current()
        || other.gens().bitmap() == kept.gens().current();
    boolean bothInconsistent = kept.disk() == DiskState.INCONSISTENT;
    return Optional.of(new SyncPlan.Resync(keep, !related || bothInconsistent, true, "manual resolve keeps " + keep));
  }

  /** A copy made zero-filled and never written since: exactly the zeroed generations, nothing dirty, never Primary. */
  private static boolean fresh(CopyView c) {
    return c.gens().equals(GenerationIds.zeroed()) && c.disk() == DiskState.UP_TO_DATE && c.dirtyRegions() == 0 && !c.crashedPrimary()
        && c.role() != Role.PRIMARY;
  }

  /** Whether x's bitmap generation or history appears among y's generations (they share a past). */
  private static boolean ancestor(GenerationIds x, GenerationIds y) {
    for (long g : new long[] {x.bitmap(), x.history1(), x.history2()}) {
      if (g != 0 && (g == y.bitmap() || g == y.history1() || g == y.history2())) return true;
    }
    return false;
  }

  /** With equal generations the side that may hold unreplicated writes is the source. */
  private static String sameGenerationSource(CopyView a, CopyView b) {
    if (a.role() == Role.PRIMARY) return a.node();
    if (b.role() == Role.PRIMARY) return b.node();
    if (a.crashedPrimary() != b.crashedPrimary()) return a.crashedPrimary() ? a.node() : b.node();
    return a.node().compareTo(b.node()) <= 0 ? a.node() : b.node();
  }
}
