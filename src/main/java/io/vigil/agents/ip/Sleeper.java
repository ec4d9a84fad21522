package io.vigil.agents.ip;

import java.time.Duration;

/** Waits; injected so polling loops run without real sleeps in tests. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration d) throws InterruptedException;

  /** Thread.sleep. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
}
