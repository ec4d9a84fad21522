package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.Role;
import java.util.concurrent.CompletableFuture;

/**
 * {@code vigil volume resize}: grows both copies of a volume, from either node. Only growing; only
 * while both copies are Connected and UpToDate (a resync or a disconnected peer would leave the
 * copies disagreeing about the size); a refusal changes nothing. The Secondary's copy grows first,
 * so the Primary never replicates a write beyond the end of its peer's copy. NBD clients that
 * connect afterwards see the new size; connected clients keep the size they negotiated.
 */
final class Resizer {
  private Resizer() {}

  /** Coordinates the resize from this node (either role). */
  static CompletableFuture<String> resize(VolumeEngine e, long size) {
    return e.call(() -> {
      check(e, size);
      return e.role;
    }).thenCompose(role -> {
      String peerRequest = "peer-resize " + size;
      if (role == Role.PRIMARY) {
        return e.askPeer(peerRequest, VolumeAdmin.ASK)
            .exceptionallyCompose(f -> CompletableFuture.failedFuture(new IllegalStateException("volume '" + e.settings.name()
                + "': the peer did not grow its copy, nothing changed: " + VolumeAdmin.cause(f).getMessage())))
            .thenCompose(r -> growHere(e, size));
      }
      return growHere(e, size).thenCompose(r -> e.askPeer(peerRequest, VolumeAdmin.ASK)
          .exceptionallyCompose(f -> CompletableFuture.failedFuture(new IllegalStateException("volume '" + e.settings.name()
              + "': grown on node '" + e.settings.node() + "' but the peer failed (" + VolumeAdmin.cause(f).getMessage()
              + "); run the same resize again once the peer is reachable"))));
    }).thenApply(r -> "volume '" + e.settings.name() + "' is " + Sizes.format(size) + " (" + size + " bytes) on both nodes");
  }

  /** Grows this node's copy (checks again on the io thread, so a state change since the first check refuses). */
  static CompletableFuture<String> growHere(VolumeEngine e, long size) {
    return e.call(() -> {
      check(e, size);
      e.growTo(size);
      return "grown to " + Sizes.format(size) + " on node '" + e.settings.node() + "'";
    });
  }

  /** Refuses (throws) unless {@code size} is a valid new size and both copies are Connected and UpToDate (io thread). */
  static void check(VolumeEngine e, long size) {
    String name = e.settings.name();
    long current = e.settings.size();
    if (size < current) {
      throw new IllegalArgumentException("volume '" + name + "': shrinking is not supported (it is " + Sizes.format(current) + " = "
          + current + " bytes, requested " + Sizes.format(size) + "); only growing; nothing changed");
    }
    if (size % 512 != 0) throw new IllegalArgumentException("volume '" + name + "': size " + size + " must be a multiple of 512");
    if (e.conn != ConnectionState.CONNECTED || e.disk != DiskState.UP_TO_DATE || e.repl.peerDisk() != DiskState.UP_TO_DATE) {
      throw new IllegalStateException("volume '" + name + "' on node '" + e.settings.node() + "' is " + e.conn + ", " + e.disk
          + (e.repl.peerDisk() == null ? ", peer unknown" : ", peer " + e.repl.peerDisk())
          + "; resize needs both copies Connected and UpToDate (not disconnected, not resyncing); nothing changed");
    }
  }
}
