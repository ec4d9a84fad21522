package io.vigil.fencing;

import java.time.Duration;

/** Waits for a fencing delay; real code sleeps, unit tests record and advance a fake clock. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration d) throws InterruptedException;

  Sleeper REAL = d -> {
    if (!d.isNegative() && !d.isZero()) Thread.sleep(d);
  };
}
