package io.vigil.agents.balancer.sched;

/**
 * IPVS's upper/lower connection thresholds as a pure function. A server becomes overloaded
 * when its total connections (active + inactive) reach the upper threshold, and stays overloaded
 * until they drop below the lower threshold, or below 3/4 of the upper one when no lower
 * threshold is set. A threshold of 0 means "none".
 */
public final class Overload {
  private Overload() {}

  /** Next value of the overloaded flag given the previous one and the current totals. */
  public static boolean next(boolean overloaded, int upper, int lower, int totalConns) {
    if (upper <= 0) {
      return false;
    }
    if (totalConns >= upper) {
      return true;
    }
    if (!overloaded) {
      return false;
    }
    if (lower > 0) {
      return totalConns >= lower;
    }
    // Without a lower threshold the kernel clears the flag below three quarters of the upper one.
    return (long) totalConns * 4 >= (long) upper * 3;
  }
}
