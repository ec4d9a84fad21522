package io.vigil.agents.volume;

import io.vigil.agents.volume.meta.DiskState;
import io.vigil.agents.volume.meta.Role;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;

/**
 * Online verify, run by the Primary (confined to the engine's io thread): for each region, digest
 * the local copy and send the digest in the ordered replication stream; the peer digests its copy at
 * the same point of the stream (so in-flight writes cannot cause false differences) and replies.
 * Differing regions are marked in the bitmap and resynced from this node.
 */
final class Verifier {
  /** Outcome of a verify. */
  record Result(int regions, int differing, long differingBytes) {
    String render() {
      return regions + " regions compared, " + differing + " differed (" + Sizes.format(differingBytes) + ")"
          + (differing > 0 ? "; resyncing them from this node" : "");
    }
  }

  private final VolumeEngine v;
  private final CompletableFuture<Result> result = new CompletableFuture<>();
  private final TokenBucket bucket;
  private int next;
  private int inflight;
  private int differing;
  private long differingBytes;

  private Verifier(VolumeEngine v) {
    this.v = v;
    this.bucket = new TokenBucket(v.settings.resyncRate(), Math.max(v.settings.regionSize(), v.settings.resyncRate() / 10), v.nanos);
  }

  /** Starts a verify (io thread); fails unless this node is Primary, UpToDate and connected. */
  static CompletableFuture<Result> start(VolumeEngine v) {
    if (v.role != Role.PRIMARY || v.disk != DiskState.UP_TO_DATE || v.conn != ConnectionState.CONNECTED) {
      return CompletableFuture.failedFuture(new IllegalStateException("volume '" + v.settings.name() + "': verify runs on the Primary"
          + " while Connected and UpToDate; this node is " + v.role + ", " + v.disk + ", " + v.conn));
    }
    Verifier verifier = new Verifier(v);
    verifier.pump();
    return verifier.result;
  }

  static long digest(VolumeEngine v, int region) throws IOException {
    int len = v.bitmap.lengthOf(region);
    byte[] data = v.data.read(v.bitmap.offsetOf(region), len);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
      long x = 0;
      for (int i = 0; i < 8; i++) x = (x << 8) | (d[i] & 0xff);
      return x;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private void pump() {
    if (result.isDone()) return;
    try {
      while (inflight < Replicator.WINDOW && next < v.bitmap.regions()) {
        int region = next;
        long delay = bucket.delayNanos(v.bitmap.lengthOf(region));
        if (delay > 0) {
          v.schedule(this::pump, delay);
          return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!v.repl.sendVerify(region, digest(v, region), done, this::mismatch)) {
          result.completeExceptionally(new IllegalStateException("volume '" + v.settings.name() + "': peer disconnected during verify"));
          return;
        }
        next++;
        inflight++;
        done.whenComplete((x, e) -> {
          inflight--;
          pump();
        });
      }
      if (inflight == 0 && next >= v.bitmap.regions()) finish();
    } catch (IOException e) {
      result.completeExceptionally(e);
    }
  }

  private void mismatch(int region) {
    differing++;
    differingBytes += v.bitmap.lengthOf(region);
    v.bitmap.markRegion(region);
  }

  private void finish() {
    v.lastVerifyMillis = v.clock.millis();
    v.lastVerifyDiff = differingBytes;
    v.persistOrLog();
    v.repl.resyncMarkedRegions();
    result.complete(new Result(v.bitmap.regions(), differing, differingBytes));
  }
}
