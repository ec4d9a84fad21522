package io.vigil.agents.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  @Test
  void pacesToTheConfiguredRateAfterTheBurst() {
    AtomicLong now = new AtomicLong();
    TokenBucket b = new TokenBucket(1_000_000, 100_000, now::get);
    assertThat(b.delayNanos(100_000)).isZero();
    long wait = b.delayNanos(100_000);
    assertThat(wait).isEqualTo(100_000_000L); // 100 KB at 1 MB/s
    now.addAndGet(wait);
    assertThat(b.delayNanos(100_000)).isZero();
  }

  @Test
  void aChunkLargerThanTheBurstStillGoesOnceTheBucketIsFull() {
    AtomicLong now = new AtomicLong();
    TokenBucket b = new TokenBucket(1000, 10, now::get);
    assertThat(b.delayNanos(1 << 20)).isZero();
    assertThat(b.delayNanos(1)).isPositive();
  }
}
