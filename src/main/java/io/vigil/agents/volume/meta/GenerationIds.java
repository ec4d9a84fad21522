package io.vigil.agents.volume.meta;

/**
 * Data generation identifiers, after DRBD's UUIDs. {@code current} names the data generation this
 * node holds; {@code bitmap} is the generation the dirty bitmap counts changes from (0 when the
 * bitmap is not in use); {@code history} are older generations; {@code currentSince} is when
 * {@code current} was started (epoch millis), used by discard-younger-primary.
 */
public record GenerationIds(long current, long bitmap, long history1, long history2, long currentSince) {
  /** The generation of a freshly created volume on zeroed storage: any two such copies are identical. */
  public static final long ZEROED = 1;
  /** No generation: a copy whose data means nothing yet (sync target of --from). */
  public static final long NONE = 0;

  /** Generations of a fresh volume on zeroed backing storage. */
  public static GenerationIds zeroed() {
    return new GenerationIds(ZEROED, 0, 0, 0, 0);
  }

  /** Starts a new data generation {@code next} at {@code nowMillis}; the old one becomes the bitmap generation. */
  public GenerationIds rotate(long next, long nowMillis) {
    return new GenerationIds(next, current, bitmap == 0 ? history1 : bitmap, bitmap == 0 ? history2 : history1, nowMillis);
  }

  /**
   * The first promotion of a fresh zero-filled copy while connected: a new current generation
   * {@code next}, the zeroed one into history, no bitmap generation (both copies hold the same data,
   * so the peer adopts exactly these generations; see {@link #adoptedFrom}).
   */
  public GenerationIds leaveZeroed(long next, long nowMillis) {
    return new GenerationIds(next, 0, current, history1, nowMillis);
  }

  /**
   * Whether an in-sync copy holding these generations takes {@code primary}'s as its own: this copy
   * is still ZEROED and the Primary has just left ZEROED by {@link #leaveZeroed}.
   */
  public boolean adoptedFrom(GenerationIds primary) {
    return current == ZEROED && bitmap == 0 && primary.current() != ZEROED && primary.current() != NONE && primary.bitmap() == 0
        && primary.history1() == ZEROED;
  }

  /** After a completed sync the bitmap generation is no longer needed; it moves to history. */
  public GenerationIds clearBitmap() {
    return bitmap == 0 ? this : new GenerationIds(current, 0, bitmap, history1, currentSince);
  }

  /** Whether {@code gen} is one of this node's past generations. */
  public boolean hasInHistory(long gen) {
    return gen != 0 && (gen == history1 || gen == history2);
  }

  @Override
  public String toString() {
    return String.format("%016X:%016X:%016X:%016X", current, bitmap, history1, history2);
  }
}
