package io.vigil.agents.balancer.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class PersistenceAndOverloadPropertiesTest {

  @Property
  void aBindingHoldsExactlyUntilTheTimeoutAfterLastUse(
      @ForAll @LongRange(min = 1, max = 10_000) long timeoutMs, @ForAll @LongRange(min = 0, max = 20_000) long elapsedMs)
      throws Exception {
    var t = new PersistenceTable(Duration.ofMillis(timeoutMs), 32, 128);
    InetAddress c = InetAddress.getByName("198.51.100.7");
    t.record(c, "a", 0);
    boolean expected = elapsedMs < timeoutMs;
    assertThat(t.lookup(c, elapsedMs * 1_000_000).isPresent()).isEqualTo(expected);
  }

  @Property
  void clientsShareABindingIffTheyAreInTheSameNetwork(
      @ForAll @IntRange(min = 0, max = 32) int prefix, @ForAll int a, @ForAll int b) throws Exception {
    var t = new PersistenceTable(Duration.ofSeconds(60), prefix, 128);
    InetAddress ca = InetAddress.getByAddress(java.nio.ByteBuffer.allocate(4).putInt(a).array());
    InetAddress cb = InetAddress.getByAddress(java.nio.ByteBuffer.allocate(4).putInt(b).array());
    t.record(ca, "x", 0);
    long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    boolean sameNet = ((a & 0xffffffffL) & mask) == ((b & 0xffffffffL) & mask);
    assertThat(t.lookup(cb, 1).isPresent()).isEqualTo(sameNet);
  }

  @Property
  void overloadIsSetAtTheUpperThresholdAndClearedOnlyBelowTheLower(
      @ForAll @IntRange(min = 2, max = 1000) int upper, @ForAll @IntRange(min = 0, max = 999) int lowerRaw,
      @ForAll boolean before, @ForAll @IntRange(min = 0, max = 2000) int conns) {
    int lower = lowerRaw % upper; // 0 (none) or below upper
    boolean after = Overload.next(before, upper, lower, conns);
    if (conns >= upper) {
      assertThat(after).isTrue();
    } else if (!before) {
      assertThat(after).isFalse();
    } else {
      int clearBelow = lower > 0 ? lower : (int) Math.ceil(upper * 0.75);
      assertThat(after).isEqualTo(conns >= clearBelow);
    }
  }
}
