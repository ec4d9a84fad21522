package io.vigil.agents.balancer.health;

/**
 * The rise/fall state machine of one real server, as an immutable value.
 *
 * <pre>
 *   UP   --(fall consecutive failures)--> DOWN
 *   DOWN --(rise consecutive successes)--> UP
 * </pre>
 *
 * Any other result only updates the streak counters; a success resets the failure streak and
 * vice versa, so alternating results never change the state.
 */
public record RiseFall(HealthState state, int rise, int fall, int okStreak, int failStreak) {

  public RiseFall {
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException("rise and fall must be >= 1, got rise " + rise + ", fall " + fall);
    }
  }

  /** Initial state: UP unless the server must first prove itself (keepalived's alpha mode). */
  public static RiseFall initial(int rise, int fall, boolean startDown) {
    return new RiseFall(startDown ? HealthState.DOWN : HealthState.UP, rise, fall, 0, 0);
  }

  /** The state after one check result. */
  public RiseFall next(boolean ok) {
    if (ok) {
      int streak = okStreak + 1;
      if (state == HealthState.DOWN && streak >= rise) {
        return new RiseFall(HealthState.UP, rise, fall, 0, 0);
      }
      return new RiseFall(state, rise, fall, state == HealthState.UP ? 0 : streak, 0);
    }
    int streak = failStreak + 1;
    if (state == HealthState.UP && streak >= fall) {
      return new RiseFall(HealthState.DOWN, rise, fall, 0, 0);
    }
    return new RiseFall(state, rise, fall, 0, state == HealthState.DOWN ? 0 : streak);
  }
}
