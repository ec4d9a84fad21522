package io.vigil.model;

/**
 * A Pacemaker score: an integer saturated at ±{@link #INFINITY_VALUE} (1,000,000).
 *
 * <p>Arithmetic follows Pacemaker's {@code pcmk__add_scores}: -INFINITY wins over everything
 * (so +INFINITY plus -INFINITY is -INFINITY), +INFINITY wins over finite values, and finite sums
 * saturate at the infinities.
 */
public record Score(int value) implements Comparable<Score> {
  public static final int INFINITY_VALUE = 1_000_000;
  public static final Score INFINITY = new Score(INFINITY_VALUE);
  public static final Score MINUS_INFINITY = new Score(-INFINITY_VALUE);
  public static final Score ZERO = new Score(0);

  public Score {
    if (value > INFINITY_VALUE || value < -INFINITY_VALUE) {
      throw new IllegalArgumentException(
          "score " + value + " is outside -INFINITY..INFINITY; use Score.of to saturate");
    }
  }

  /** The score for {@code value}, saturated to ±INFINITY. */
  public static Score of(long value) {
    if (value >= INFINITY_VALUE) return INFINITY;
    if (value <= -INFINITY_VALUE) return MINUS_INFINITY;
    return value == 0 ? ZERO : new Score((int) value);
  }

  /**
   * Parses a score as Pacemaker writes it: an integer (saturated), {@code INFINITY},
   * {@code +INFINITY} or {@code -INFINITY} (case-insensitive), or the node-health colours
   * {@code red} (-INFINITY), {@code yellow} and {@code green} (0).
   *
   * @throws IllegalArgumentException naming the text and what was expected
   */
  public static Score parse(String text) {
    String t = text.strip();
    switch (t.toLowerCase(java.util.Locale.ROOT)) {
      case "infinity", "+infinity", "inf", "+inf" -> {
        return INFINITY;
      }
      case "-infinity", "-inf", "red" -> {
        return MINUS_INFINITY;
      }
      case "green", "yellow" -> {
        return ZERO;
      }
      default -> {}
    }
    if (!t.matches("[+-]?\\d{1,18}")) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a score (expected an integer, INFINITY or -INFINITY)");
    }
    return of(Long.parseLong(t));
  }

  /** Pacemaker's saturating addition; -INFINITY dominates +INFINITY. */
  public Score plus(Score other) {
    if (value == -INFINITY_VALUE || other.value == -INFINITY_VALUE) return MINUS_INFINITY;
    if (value == INFINITY_VALUE || other.value == INFINITY_VALUE) return INFINITY;
    return of((long) value + other.value);
  }

  /** This score multiplied by a factor (used for colocation influence), saturated. */
  public Score times(double factor) {
    if (isInfinite()) {
      if (factor == 0) return ZERO;
      return (value > 0) == (factor > 0) ? INFINITY : MINUS_INFINITY;
    }
    return of(Math.round(value * factor));
  }

  public boolean isInfinite() {
    return value == INFINITY_VALUE || value == -INFINITY_VALUE;
  }

  public boolean isMinusInfinity() {
    return value == -INFINITY_VALUE;
  }

  public boolean isPlusInfinity() {
    return value == INFINITY_VALUE;
  }

  @Override
  public int compareTo(Score o) {
    return Integer.compare(value, o.value);
  }

  /** Pacemaker's spelling: INFINITY, -INFINITY or the integer. */
  @Override
  public String toString() {
    if (value == INFINITY_VALUE) return "INFINITY";
    if (value == -INFINITY_VALUE) return "-INFINITY";
    return Integer.toString(value);
  }
}
