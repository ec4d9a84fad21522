package io.vigil.agents.volume;

import java.util.function.LongSupplier;

/** Rate limiter for resync traffic: says how long to wait before sending a number of bytes. Time is an input. */
final class TokenBucket {
  private final long bytesPerSecond;
  private final long burst;
  private final LongSupplier nanos;
  private double tokens;
  private long last;

  TokenBucket(long bytesPerSecond, long burst, LongSupplier nanos) {
    if (bytesPerSecond <= 0) throw new IllegalArgumentException("resync rate " + bytesPerSecond + " B/s must be > 0");
    this.bytesPerSecond = bytesPerSecond;
    this.burst = Math.max(burst, 1);
    this.nanos = nanos;
    this.last = nanos.getAsLong();
    this.tokens = this.burst;
  }

  /** Nanoseconds to wait before {@code bytes} may be sent; 0 means send now (and the bytes are taken). */
  long delayNanos(long bytes) {
    long now = nanos.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * (double) bytesPerSecond / 1e9);
    last = now;
    if (tokens >= bytes || tokens >= burst) {
      tokens -= bytes;
      return 0;
    }
    return (long) Math.ceil((bytes - tokens) * 1e9 / bytesPerSecond);
  }
}
