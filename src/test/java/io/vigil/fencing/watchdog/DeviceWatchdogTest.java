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
  void feedingStopsWhenNeitherQuorumNorLeaseAllowsRunningResources() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Duration t = Duration.ofSeconds(9);
    assertThat(FeedingPolicy.step(true, Optional.empty(), t, now)).extracting(FeedingPolicy.Step::feed, FeedingPolicy.Step::next)
        .containsExactly(true, now.plusSeconds(3));
    var lease = FeedingPolicy.step(false, Optional.of(now.plusSeconds(2)), t, now);
    assertThat(lease.feed()).isTrue();
    assertThat(lease.next()).isEqualTo(now.plusSeconds(2));
    assertThat(FeedingPolicy.step(false, Optional.of(now.plusSeconds(2)), t, now.plusSeconds(2)).feed()).isFalse();
    assertThat(FeedingPolicy.step(false, Optional.empty(), t, now).feed()).isFalse();
  }
}
