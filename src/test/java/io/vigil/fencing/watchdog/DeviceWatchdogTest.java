package io.vigil.fencing.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceWatchdogTest {
  @TempDir Path dir;

  @Test
  void feedsAreWritesAndDisarmEndsWithTheMagicV() throws Exception {
    Path dev = dir.resolve("watchdog");
    Files.createFile(dev);
    try (DeviceWatchdog wd = DeviceWatchdog.open(dev, Duration.ofSeconds(60))) {
      wd.feed();
      wd.feed();
      wd.disarm();
    }
    assertThat(Files.readString(dev)).isEqualTo("kkV");
  }

  @Test
  void presentWatchdogDeviceIsPreferred() throws Exception {
    Path dev = dir.resolve("watchdog");
    Files.createFile(dev);
    try (WatchdogFeeder wd = Watchdogs.open(dev, dir.resolve("state"), Duration.ofSeconds(30))) {
      assertThat(wd).isInstanceOf(DeviceWatchdog.class);
      wd.feed();
    }
    assertThat(Files.readString(dev)).isEqualTo("k");
  }

  @Test
  void closeWithoutDisarmLeavesNoMagicV() throws Exception {
    Path dev = dir.resolve("watchdog");
    Files.createFile(dev);
    try (DeviceWatchdog wd = DeviceWatchdog.open(dev, Duration.ofSeconds(60))) {
      wd.feed();
    }
    assertThat(Files.readString(dev)).isEqualTo("k");
  }

  @Test
  void feedingStopsOneTimeoutBeforeTheLeaseEndsSoTheWatchdogActsWithinTheLease() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Duration t = Duration.ofSeconds(3);
    Instant leaseEnd = now.plusSeconds(5);
    var fed = FeedingPolicy.step(true, Optional.of(leaseEnd), t, now);
    assertThat(fed.feed()).isTrue();
    assertThat(fed.next()).isEqualTo(now.plusSeconds(1));
    var last = FeedingPolicy.step(false, Optional.of(leaseEnd), t, now.plusMillis(1500));
    assertThat(last.feed()).isTrue();
    assertThat(last.next()).as("the last feed is due at lease end - timeout").isEqualTo(now.plusSeconds(2));
    assertThat(FeedingPolicy.step(false, Optional.of(leaseEnd), t, now.plusSeconds(2)).feed()).isFalse();
    assertThat(FeedingPolicy.step(true, Optional.of(leaseEnd), t, now.plusSeconds(2)).feed())
        .as("quorum alone does not feed: only the lease bounds when the watchdog acts").isFalse();
    assertThat(FeedingPolicy.step(false, Optional.empty(), t, now).feed()).isFalse();
  }

  @net.jqwik.api.Property
  void aWatchdogFedByThePolicyNeverActsAfterTheLeaseEnds(@net.jqwik.api.ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 10_000) long nowMs,
      @net.jqwik.api.ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 10_000) long leaseMs,
      @net.jqwik.api.ForAll @net.jqwik.api.constraints.LongRange(min = 200, max = 3000) long timeoutMs) {
    Instant epoch = Instant.parse("2026-01-01T00:00:00Z");
    Instant now = epoch.plusMillis(nowMs);
    Instant leaseEnd = epoch.plusMillis(leaseMs);
    var step = FeedingPolicy.step(true, Optional.of(leaseEnd), Duration.ofMillis(timeoutMs), now);
    if (step.feed()) assertThat(now.plusMillis(timeoutMs)).isBefore(leaseEnd);
    assertThat(step.next()).isAfterOrEqualTo(now);
  }
}
