package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.GenerationIds;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a node that has no copy of a volume yet makes one when the operator gave no {@code --init}:
 * from what the peer's copy is. So {@code vigil volume create} is needed on one node only, any of
 * them; every other node takes its copy's initial state from the peer at its first start:
 *
 * <ul>
 *   <li>the peer is a fresh zero-filled copy (generation {@code ZEROED}) and this node has no backing
 *       file: a zero-filled copy here too, identical, no sync;
 *   <li>the peer holds data (any other generation, UpToDate or Outdated) and this node has no backing
 *       file: a new copy, Inconsistent, overwritten from the peer in the background (the
 *       {@code --from PEER} of create);
 *   <li>the peer is a new copy waiting to be synced (Inconsistent, no generation: created with
 *       {@code --from THIS-NODE}) and this node's backing file exists: its data is kept and synced to
 *       the peer;
 *   <li>the peer cannot be asked and this node has no backing file: a zero-filled copy, as before (a
 *       fresh copy that meets a peer with data is the target of a full sync, {@code SyncPlanner});
 *   <li>everything else (an existing backing file the peer does not wait for, a peer of another size,
 *       a peer that is itself Inconsistent mid-resync) is refused with what to pass instead, and
 *       nothing is created: an existing file is never overwritten without {@code --init sync-target}.
 * </ul>
 *
 * <p>Pure: the asking is done by the caller ({@link VolumeServeMain}), the answer decided here.
 */
public final class FirstStart {
  private FirstStart() {}

  /** The peer-link request that asks the peer for {@link PeerCopy#render()}. */
  public static final String REQUEST = "peer-copy";

  /** What a node tells a peer that has no copy yet about its own copy. */
  public record PeerCopy(DiskState disk, long generation, long size) {
    public String render() {
      return "copy disk=" + disk.name() + " generation=" + String.format("%016X", generation) + " size=" + size;
    }

    /** Parses {@link #render()}; a malformed reply is an {@link IllegalArgumentException} naming it. */
    public static PeerCopy parse(String reply) {
      String[] w = reply.strip().split("\\s+");
      Map<String, String> kv = new HashMap<>();
      for (int i = 1; i < w.length; i++) {
        int eq = w[i].indexOf('=');
        if (eq > 0) kv.put(w[i].substring(0, eq), w[i].substring(eq + 1));
      }
      if (!w[0].equals("copy") || !kv.keySet().containsAll(java.util.List.of("disk", "generation", "size"))) {
        throw new IllegalArgumentException("malformed peer-copy reply '" + reply + "': expected 'copy disk=D generation=G size=N'");
      }
      try {
        return new PeerCopy(DiskState.valueOf(kv.get("disk").toUpperCase(Locale.ROOT)), Long.parseUnsignedLong(kv.get("generation"), 16),
            Long.parseLong(kv.get("size")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("malformed peer-copy reply '" + reply + "': " + e.getMessage(), e);
      }
    }
  }

  /** The decision: the copy to create, and a sentence for the log. */
  public record Decision(InitialData initial, String why) {}

  /**
   * Decides this node's initial data. {@code peer} is null when the peer could not be asked
   * ({@code unreachable} says why). Throws {@link IllegalArgumentException} with the operator's
   * options when nothing should be created.
   */
  public static Decision decide(VolumeSettings s, boolean backingExists, PeerCopy peer, String unreachable) {
    String vol = "volume '" + s.name() + "'";
    String initHint = "; pass --init existing (keep its data; the peer syncs from it) or --init sync-target (overwrite it from the peer)";
    if (peer == null) {
      if (backingExists) {
        throw new IllegalArgumentException(vol + ": " + s.backing() + " exists but has no volume metadata, and the peer could not be asked "
            + "what its copy is (" + unreachable + ")" + initHint + ", or start the peer first");
      }
      return new Decision(InitialData.ZEROED, "the peer could not be asked (" + unreachable + "): a new zero-filled copy, UpToDate; "
          + "if the peer holds data, this fresh copy is overwritten from it in full when they connect");
    }
    if (peer.size() != s.size()) {
      throw new IllegalArgumentException(vol + ": the peer's copy is " + Sizes.format(peer.size()) + " (" + peer.size() + " bytes) but this "
          + "node's --size is " + Sizes.format(s.size()) + " (" + s.size() + " bytes); give the peer's size; nothing was created");
    }
    boolean waitsForUs = peer.disk() == DiskState.INCONSISTENT && peer.generation() == GenerationIds.NONE;
    if (waitsForUs) {
      if (!backingExists) {
        throw new IllegalArgumentException(vol + ": the peer's copy waits to be synced from this node (it was created with --from "
            + s.node() + "), but " + s.backing() + " does not exist; give the backing file that holds the data, or recreate the peer's "
            + "copy without --from; nothing was created");
      }
      return new Decision(InitialData.EXISTING_SOURCE, "the peer's copy waits to be synced from this node: " + s.backing()
          + "'s data is kept (UpToDate) and synced to the peer in the background");
    }
    if (peer.disk() == DiskState.INCONSISTENT) {
      throw new IllegalArgumentException(vol + ": the peer's copy is Inconsistent (an unfinished resync), so neither node holds good data "
          + "to start from; pass --init explicitly; nothing was created");
    }
    if (backingExists) {
      throw new IllegalArgumentException(vol + ": " + s.backing() + " exists but has no volume metadata" + initHint + "; nothing was created");
    }
    if (peer.generation() == GenerationIds.ZEROED) {
      return new Decision(InitialData.ZEROED, "the peer's copy is a fresh zero-filled copy: a new zero-filled copy here too, "
          + "UpToDate, no initial sync");
    }
    return new Decision(InitialData.SYNC_TARGET, "the peer's copy holds data (" + peer.disk() + ", generation "
        + String.format("%016X", peer.generation()) + "): a new copy, Inconsistent until synced from the peer in the background");
  }
}
