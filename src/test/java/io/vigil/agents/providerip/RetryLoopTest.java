package io.vigil.agents.providerip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.agents.ip.AgentResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryLoopTest {
  final FakeTime time = new FakeTime();
  final RetryLoop loop = new RetryLoop(time, time,
      new RetryLoop.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(15)),
      new RetryLoop.Backoff(Duration.ofSeconds(30), Duration.ofSeconds(120)));

  @Test
  void backsOffExponentiallyUpToTheCap() {
    int[] calls = {0};
    AgentResult r = loop.run("x", Duration.ofSeconds(100), remaining -> ++calls[0] < 6
        ? new RetryLoop.Retry("locked", false) : new RetryLoop.Done(AgentResult.success("ok")));
    assertThat(r.isSuccess()).isTrue();
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
        Duration.ofSeconds(15), Duration.ofSeconds(15));
  }

  @Test
  void throttledRetriesUseTheirOwnLongerBackoff() {
    int[] calls = {0};
    loop.run("x", Duration.ofMinutes(10), remaining -> switch (++calls[0]) {
      case 1, 2 -> new RetryLoop.Retry("rate", true);
      case 3 -> new RetryLoop.Retry("locked", false);
      default -> new RetryLoop.Done(AgentResult.success("ok"));
    });
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(2));
  }

  @Property
  void neverSleepsPastTheDeadline(@ForAll @IntRange(min = 1, max = 600) int timeoutSeconds) {
    FakeTime t = new FakeTime();
    Instant start = t.instant();
    RetryLoop l = new RetryLoop(t, t, new RetryLoop.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(15)),
        new RetryLoop.Backoff(Duration.ofSeconds(30), Duration.ofSeconds(120)));
    List<Duration> remainders = new ArrayList<>();
    AgentResult r = l.run("switch", Duration.ofSeconds(timeoutSeconds), remaining -> {
      remainders.add(remaining);
      return new RetryLoop.Retry("FAILOVER_LOCKED", remainders.size() % 3 == 0);
    });
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).contains("last: FAILOVER_LOCKED");
    assertThat(Duration.between(start, t.instant())).isLessThanOrEqualTo(Duration.ofSeconds(timeoutSeconds));
    assertThat(remainders).allSatisfy(d -> assertThat(d).isPositive());
  }
}
