package io.vigil.fencing.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The self-fencing driver against an in-memory watchdog: when it arms, feeds, re-arms and disarms. */
class SelfFencerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final List<FakeWatchdog> opened = new ArrayList<>();
  private final java.util.Set<Long> liveGroups = new java.util.HashSet<>();
  private final SelfFencer fencer = new SelfFencer(() -> {
    FakeWatchdog w = new FakeWatchdog();
    opened.add(w);
    return w;
  }, TIMEOUT, liveGroups::contains);

  static final class FakeWatchdog implements WatchdogFeeder {
    final List<String> calls = new ArrayList<>();
    boolean broken;

    @Override
    public void feed() throws IOException {
      if (broken) throw new IOException("Broken pipe");
      calls.add("feed");
    }

    @Override
    public void disarm() {
      calls.add("disarm");
    }

    @Override
    public Duration timeout() {
      return TIMEOUT;
    }

    @Override
    public String describe() {
      return "fake";
    }

    @Override
    public void close() {
      calls.add("close");
    }
  }

  @Test
  void isArmedOnlyOnceTheNodeHoldsALease() {
    fencer.poll(true, Optional.empty(), T0);
    assertThat(opened).isEmpty();
    assertThat(fencer.status()).contains("not armed");
    fencer.poll(true, Optional.of(T0.plusSeconds(5)), T0);
    assertThat(opened).hasSize(1);
    assertThat(opened.getFirst().calls).containsExactly("feed");
  }

  @Test
  void aWatchdogThatCannotBeFedIsDroppedAndAFreshOneArmedWithoutTheGroupsItKilled() throws Exception {
    fencer.poll(true, Optional.of(T0.plusSeconds(5)), T0);
    fencer.protectGroup("web", 4242);
    opened.getFirst().broken = true; // the supervisor fired (killed group 4242) and exited
    fencer.protectGroup("db", 5151); // started again meanwhile: alive
    liveGroups.add(5151L);
    fencer.poll(true, Optional.of(T0.plusSeconds(6)), T0.plusSeconds(1));
    assertThat(fencer.status()).contains("cannot feed");
    fencer.poll(true, Optional.of(T0.plusSeconds(7)), T0.plusSeconds(2));
    assertThat(opened).hasSize(2);
    assertThat(fencer.protectedResources()).as("the killed group is gone, the live one kept").containsOnlyKeys("db");
  }

  @Test
  void orderlyShutdownLeavesTheWatchdogArmedWhileAResourceIsRegistered() throws Exception {
    fencer.poll(true, Optional.of(T0.plusSeconds(5)), T0);
    fencer.protectGroup("web", 4242);
    fencer.protectAddress("ip", new SelfFencer.Address(null, "eth0", "10.77.0.100/24"));
    fencer.release("web");
    assertThat(fencer.protectedResources()).containsOnlyKeys("ip");
    fencer.close();
    assertThat(opened.getFirst().calls).containsExactly("feed", "close");
  }

  @Test
  void orderlyShutdownDisarmsWhenEveryResourceStopped() throws Exception {
    fencer.poll(true, Optional.of(T0.plusSeconds(5)), T0);
    fencer.protectGroup("web", 4242);
    fencer.release("web");
    fencer.close();
    assertThat(opened.getFirst().calls).containsExactly("feed", "disarm", "close");
  }

  @Test
  void maintenanceDisarmsTheWatchdogAndLeavingItArmsAgainWithTheTargetsKept() throws Exception {
    fencer.poll(true, Optional.of(T0.plusSeconds(5)), T0);
    fencer.protectGroup("web", 4242);
    fencer.suspend("this node is in maintenance");
    assertThat(opened.getFirst().calls).containsExactly("feed", "disarm", "close");
    fencer.poll(true, Optional.of(T0.plusSeconds(6)), T0.plusSeconds(1));
    assertThat(opened).hasSize(1);
    assertThat(fencer.status()).contains("maintenance");
    fencer.suspend(null);
    fencer.poll(true, Optional.of(T0.plusSeconds(7)), T0.plusSeconds(2));
    assertThat(opened).hasSize(2);
    assertThat(fencer.protectedResources()).containsOnlyKeys("web");
  }
}
