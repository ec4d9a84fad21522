package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.Role;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The administrative requests of one volume, so that every {@code vigil volume} command works from
 * either node. From the local control socket ({@link #local}): {@code status}, {@code primary
 * [switch|force]}, {@code secondary}, {@code connect}, {@code disconnect}, {@code verify}, {@code resolve
 * NODE}, {@code resize BYTES}. What needs the other node is forwarded over the volume's own
 * authenticated link as a {@code peer-*} request ({@link #fromPeer}), which runs there only locally
 * (never forwarded again): verify on a Secondary runs on the Primary; connect and resolve act on both
 * nodes (also when both are StandAlone after a split brain); {@code primary switch} demotes the peer
 * first; resize grows the Secondary's copy before the Primary's; {@code peer-copy} tells a node that
 * has no copy yet what this copy is ({@link FirstStart}).
 */
final class VolumeAdmin {
  private VolumeAdmin() {}

  static final Duration ASK = Duration.ofSeconds(30);
  /** A verify reads the whole volume on both nodes (rate-limited like a resync). */
  static final Duration ASK_VERIFY = Duration.ofHours(6);
  /** How long {@code primary switch} waits for the demoted peer's new role to arrive on the session. */
  private static final long SWITCH_WAIT_NANOS = Duration.ofSeconds(10).toNanos();

  /** A request from this node's operator (control socket). */
  static CompletableFuture<String> local(VolumeEngine e, String line) {
    String[] w = line.strip().split("\\s+");
    try {
      return switch (w[0]) {
        case "status" -> e.status().thenApply(VolumeStatus::render);
        case "status-raw" -> e.status().thenApply(Object::toString);
        case "primary" -> {
          if (w.length == 1) yield e.promote().thenApply(v -> "Primary");
          if (w.length == 2 && w[1].equals("switch")) yield switchover(e);
          if (w.length == 2 && w[1].equals("force")) yield e.forcePrimary();
          throw new IllegalArgumentException("usage: primary [switch|force]");
        }
        case "secondary" -> e.demote().thenApply(v -> "Secondary");
        case "connect" -> e.connect().thenCompose(v -> tellPeer(e, "peer-connect")).thenApply(p -> "connecting" + p);
        case "disconnect" -> e.disconnect().thenApply(v -> "StandAlone");
        case "verify" -> verify(e);
        case "resolve" -> {
          String keep = arg(w, "resolve NODE");
          yield e.markResolve(keep).thenCompose(v -> tellPeer(e, "peer-resolve " + keep))
              .thenCompose(p -> e.connect().thenApply(v -> "resolving: keeping " + keep + p));
        }
        case "resize" -> Resizer.resize(e, Long.parseLong(arg(w, "resize BYTES")));
        case "outdate" -> {
          if (w.length != 3) throw new IllegalArgumentException("usage: outdate GENERATION NODE");
          yield e.outdate(w[1], w[2]);
        }
        default -> throw new IllegalArgumentException("unknown request '" + w[0]
            + "'; expected status, primary [switch|force], secondary, connect, disconnect, verify, resolve NODE, resize BYTES or outdate GENERATION NODE");
      };
    } catch (RuntimeException ex) {
      return CompletableFuture.failedFuture(ex);
    }
  }

  /** A request forwarded by the peer node: runs here only. */
  static CompletableFuture<String> fromPeer(VolumeEngine e, String line) {
    String[] w = line.strip().split("\\s+");
    try {
      return switch (w[0]) {
        case "peer-status" -> e.status().thenApply(VolumeStatus::render);
        case FirstStart.REQUEST -> e.describeCopy();
        case "peer-connect" -> e.connect().thenApply(v -> "connecting");
        case "peer-secondary" -> e.demote().thenApply(v -> "Secondary");
        case "peer-verify" -> e.verify();
        case "peer-resolve" -> {
          String keep = arg(w, "peer-resolve NODE");
          yield e.resolve(keep).thenApply(v -> "keeping " + keep);
        }
        case "peer-resize" -> Resizer.growHere(e, Long.parseLong(arg(w, "peer-resize BYTES")));
        default -> throw new IllegalArgumentException("unknown peer request '" + w[0] + "'");
      };
    } catch (RuntimeException ex) {
      return CompletableFuture.failedFuture(ex);
    }
  }

  private static String arg(String[] w, String usage) {
    if (w.length != 2) throw new IllegalArgumentException("usage: " + usage);
    return w[1];
  }

  /** Asks the peer to do its half; a peer that cannot be reached is reported, not fatal (this node's half is done). */
  private static CompletableFuture<String> tellPeer(VolumeEngine e, String request) {
    return e.askPeer(request, ASK).handle((reply, failure) -> failure == null ? "; peer: " + reply
        : "; peer not reached (" + cause(failure).getMessage() + "); run the command there too");
  }

  static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Verify runs on the Primary: here if this node is Primary, else forwarded to a connected Primary peer. */
  private static CompletableFuture<String> verify(VolumeEngine e) {
    return e.call(() -> e.role != Role.PRIMARY && e.repl.connected() && e.repl.peerRole() == Role.PRIMARY ? e.repl.peerNode() : null)
        .thenCompose(peer -> peer == null ? e.verify()
            : e.askPeer("peer-verify", ASK_VERIFY).thenApply(text -> "on the Primary '" + peer + "': " + text));
  }

  /** Makes this node Primary when the peer is Primary now: the peer demotes (flushing), then this node promotes. */
  private static CompletableFuture<String> switchover(VolumeEngine e) {
    return e.call(() -> {
      if (e.role == Role.PRIMARY) return false;
      if (e.repl.peerRole() != Role.PRIMARY) return false; // a plain promotion (with its own checks)
      if (e.disk != DiskState.UP_TO_DATE || e.conn != ConnectionState.CONNECTED || e.repl.peerDisk() != DiskState.UP_TO_DATE) {
        throw new IllegalStateException("volume '" + e.settings.name() + "': a switch needs both copies Connected and UpToDate; node '"
            + e.settings.node() + "' is " + e.conn + ", " + e.disk + " (nothing changed)");
      }
      return true;
    }).thenCompose(viaPeer -> viaPeer ? e.askPeer("peer-secondary", ASK).thenCompose(r -> peerNoLongerPrimary(e, System.nanoTime()))
        : CompletableFuture.completedFuture(null))
        .thenCompose(v -> e.promote()).thenApply(v -> "Primary");
  }

  /** The peer's demotion reaches this node on the session (a different connection from the admin reply): wait for it, bounded. */
  private static CompletableFuture<Void> peerNoLongerPrimary(VolumeEngine e, long started) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    e.io.execute(() -> {
      if (e.repl.peerRole() != Role.PRIMARY) {
        done.complete(null);
      } else if (e.nanos.getAsLong() - started > SWITCH_WAIT_NANOS) {
        done.completeExceptionally(new IllegalStateException("volume '" + e.settings.name() + "': the peer demoted but this node has not "
            + "seen it within 10 s; run 'vigil volume primary " + e.settings.name() + "' again"));
      } else {
        e.schedule(() -> peerNoLongerPrimary(e, started).whenComplete((v, f) -> {
          if (f != null) done.completeExceptionally(f);
          else done.complete(null);
        }), Duration.ofMillis(20).toNanos());
      }
    });
    return done;
  }
}
