package io.vigil.exec;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code capacity} bytes written to it (a ring buffer), so an agent that prints
 * megabytes cannot exhaust memory while the end of its output, where errors are, is kept.
 * Thread-safe: one reader thread appends while the runner may take a snapshot.
 */
public final class TailBuffer {
  private final byte[] ring;
  private long written;

  public TailBuffer(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("tail capacity must be positive, got " + capacity);
    }
    this.ring = new byte[capacity];
  }

  /** Appends {@code len} bytes from {@code b} starting at {@code off}. */
  public synchronized void write(byte[] b, int off, int len) {
    if (len > ring.length) {
      // Only the last ring.length bytes can survive; the skipped ones still count as written.
      written += len - ring.length;
      off += len - ring.length;
      len = ring.length;
    }
    int pos = (int) (written % ring.length);
    int first = Math.min(len, ring.length - pos);
    System.arraycopy(b, off, ring, pos, first);
    System.arraycopy(b, off + first, ring, 0, len - first);
    written += len;
  }

  /** Total number of bytes ever written. */
  public synchronized long totalWritten() {
    return written;
  }

  /** True when earlier output was dropped. */
  public synchronized boolean truncated() {
    return written > ring.length;
  }

  /** The kept bytes, oldest first. */
  public synchronized byte[] bytes() {
    if (written <= ring.length) {
      byte[] out = new byte[(int) written];
      System.arraycopy(ring, 0, out, 0, out.length);
      return out;
    }
    int pos = (int) (written % ring.length);
    byte[] out = new byte[ring.length];
    System.arraycopy(ring, pos, out, 0, ring.length - pos);
    System.arraycopy(ring, 0, out, ring.length - pos, pos);
    return out;
  }

  /** The kept bytes decoded as UTF-8 (malformed sequences, e.g. a cut character, become U+FFFD). */
  public String text() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }
}
