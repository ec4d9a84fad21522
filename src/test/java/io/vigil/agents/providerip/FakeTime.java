package io.vigil.agents.providerip;

import io.vigil.agents.ip.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when someone sleeps on it; records every sleep. */
public final class FakeTime implements InstantSource, Sleeper {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  final List<Duration> sleeps = new ArrayList<>();

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public synchronized void sleep(Duration d) {
    sleeps.add(d);
    advance(d);
  }

  void advance(Duration d) {
    now.updateAndGet(i -> i.plus(d));
  }
}
