package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.Role;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DRBD's {@code primary --force}: the operator's explicit override that makes a copy which is not
 * UpToDate (Outdated, or Inconsistent) UpToDate with a new generation, for when the peer's copy is
 * lost for good. Refused while a peer session is up (the peer is not lost then). The new generation
 * makes the divergence visible if the old peer returns: its own later writes and this copy's show as
 * a split brain for the policy ({@code SyncPlanner}), never a silent overwrite. Outside a cluster the
 * copy becomes Primary at once; under the cluster (a {@link PeerFencer} is in use) this copy's
 * Outdated record (the scheduler's promotion veto) is deleted first and the copy stays Secondary:
 * the cluster, which owns the role, promotes it. Recorded in the metadata, the log and status.
 */
final class ForcedPrimary {
  private static final Logger log = LoggerFactory.getLogger(ForcedPrimary.class);

  private ForcedPrimary() {}

  private enum Step { ALREADY, PLAIN, FORCE }

  /** What the refusal of a plain promotion adds for a copy that only {@code --force} could promote (io thread). */
  static String hint(VolumeEngine e) {
    if (e.disk != DiskState.OUTDATED && e.disk != DiskState.INCONSISTENT) return "";
    if (e.repl.connected()) return "";
    String lost = e.disk == DiskState.OUTDATED ? "writes the peer acknowledged that this copy lacks"
        : "writes this copy lacks, and the " + Sizes.format(e.bitmap.dirtyBytes()) + " the resync had not reached yet (old data there)";
    return "; if the peer's copy is lost for good, 'vigil volume primary " + e.settings.name() + " --force' makes this copy UpToDate"
        + (e.fencing.enabled() ? " (the cluster then promotes it)" : " and Primary") + " with a new generation: " + lost
        + " are lost, and if the peer returns, both copies' changes show as a split brain";
  }

  static CompletableFuture<String> run(VolumeEngine e) {
    return e.call(() -> check(e)).thenCompose(step -> switch (step) {
      case ALREADY -> CompletableFuture.completedFuture("Primary (already; nothing forced)");
      case PLAIN -> e.promote().thenApply(v -> "Primary (the copy was UpToDate; nothing forced)");
      case FORCE -> clearMark(e).thenCompose(v -> e.call(() -> force(e)));
    });
  }

  private static Step check(VolumeEngine e) {
    if (e.role == Role.PRIMARY) return Step.ALREADY;
    if (e.disk == DiskState.UP_TO_DATE) return Step.PLAIN;
    if (e.disk == DiskState.DISKLESS) {
      throw new IllegalStateException("volume '" + e.settings.name() + "' is Diskless on node '" + e.settings.node()
          + "': there is no data to force; nothing changed");
    }
    if (e.repl.connected() || e.conn == ConnectionState.SYNC_TARGET) {
      throw new IllegalStateException("volume '" + e.settings.name() + "' is " + e.disk + " on node '" + e.settings.node()
          + "' and connected to '" + e.repl.peerNode() + "' (" + e.conn + ", peer " + e.repl.peerRole() + "/" + e.repl.peerDisk()
          + "): --force is only for a peer whose copy is lost for good; let the resync finish or promote the peer; nothing changed");
    }
    return Step.FORCE;
  }

  /** Under the cluster: this copy's Outdated record goes first, so a failure changes nothing. */
  private static CompletableFuture<Void> clearMark(VolumeEngine e) {
    if (!e.fencing.enabled()) return CompletableFuture.completedFuture(null);
    CompletableFuture<Void> done = new CompletableFuture<>();
    PeerFencer fencer = e.fencing.fencer();
    String node = e.settings.node();
    Thread.ofVirtual().name("volume-force-clear-mark").start(() -> {
      try {
        fencer.clearMark(node);
        done.complete(null);
      } catch (Exception ex) {
        done.completeExceptionally(new IllegalStateException("volume '" + e.settings.name() + "': could not delete node '" + node
            + "''s Outdated record in the cluster (" + ex.getMessage() + "); nothing changed"));
      }
    });
    return done;
  }

  private static String force(VolumeEngine e) throws java.io.IOException {
    if (check(e) != Step.FORCE) {
      throw new IllegalStateException("volume '" + e.settings.name() + "': its state changed during --force (now " + e.role + ", "
          + e.disk + ", " + e.conn + "); nothing forced, run the command again");
    }
    DiskState was = e.disk;
    boolean cluster = e.fencing.enabled();
    String before = String.format("%016X", e.gens.current());
    long now = e.clock.millis();
    e.overridden = e.outdatedBy;
    e.disk = DiskState.UP_TO_DATE;
    e.gens = e.gens.rotate(VolumeEngine.newGeneration(), now);
    e.forcedMillis = now;
    e.forcedFrom = was;
    e.lastError = "";
    if (!cluster) {
      e.role = Role.PRIMARY;
      e.crashedPrimary = false;
    }
    e.persist();
    e.repl.announceState();
    String gen = String.format("%016X", e.gens.current());
    log.warn("volume '{}': FORCED by the operator on node '{}': {} copy (generation {}) made UpToDate{} with new generation {}; "
        + "writes it lacked are lost; a returning peer's changes show as a split brain", e.settings.name(), e.settings.node(), was, before,
        cluster ? " (its Outdated record deleted from the cluster, which promotes it)" : " and Primary", gen);
    return (cluster ? "UpToDate" : "Primary") + " (forced: was " + was + ", new generation " + gen + ")"
        + (cluster ? "; its Outdated record is deleted from the cluster, which now promotes this copy" : "");
  }
}
