package io.vigil.agents.balancer.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SchedulerPropertiesTest {

  @Provide
  Arbitrary<List<RealServer>> servers() {
    Arbitrary<RealServer> one = Combinators.combine(
            Arbitraries.integers().between(0, 20),
            Arbitraries.integers().between(0, 50),
            Arbitraries.integers().between(0, 50),
            Arbitraries.of(true, false, false, false))
        .as((w, a, i, o) -> new RealServer("x", w, a, i, o));
    return one.list().ofMinSize(1).ofMaxSize(8).map(list -> {
      List<RealServer> named = new ArrayList<>();
      for (int k = 0; k < list.size(); k++) {
        RealServer s = list.get(k);
        named.add(new RealServer("10.0.0." + k + ":80", s.weight(), s.activeConns(), s.inactiveConns(), s.overloaded()));
      }
      return named;
    });
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of(Schedulers.NAMES);
  }

  @Property
  void neverPicksQuiescentOrOverloadedServers(
      @ForAll("servers") List<RealServer> servers, @ForAll("names") String name,
      @ForAll @IntRange(min = 0, max = 255) int lastOctet) throws Exception {
    Scheduler s = Schedulers.create(name, new Schedulers.Options(true, false, 251, Schedulers.DEFAULT_LOCALITY_EXPIRATION), () -> 0L);
    ConnKey key = new ConnKey(InetAddress.getByAddress(new byte[] {10, 9, 8, (byte) lastOctet}), 1234,
        InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) lastOctet}));
    for (int i = 0; i < 20; i++) {
      s.select(servers, key).ifPresent(r -> assertThat(r.available()).as(r.toString()).isTrue());
    }
    boolean anyAvailable = servers.stream().anyMatch(RealServer::available);
    boolean pickAlways = !List.of("dh", "lblc", "lblcr").contains(name); // dh has no fallback
    if (anyAvailable && pickAlways) {
      assertThat(s.select(servers, key)).isPresent();
    }
  }

  @Property
  void wrrDistributesInProportionToWeightsOverAFullCycle(
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 12) Integer> weights) {
    List<RealServer> servers = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      servers.add(RealServer.of("s" + i, weights.get(i)));
    }
    int gcd = 0;
    int sum = 0;
    for (int w : weights) {
      if (w > 0) {
        gcd = gcd == 0 ? w : WeightedRoundRobin.gcd(gcd, w);
        sum += w;
      }
    }
    Scheduler wrr = Schedulers.create("wrr", Schedulers.Options.DEFAULTS, () -> 0L);
    Map<String, Integer> counts = new HashMap<>();
    int cycle = gcd == 0 ? 3 : sum / gcd;
    for (int i = 0; i < cycle * 2; i++) {
      wrr.select(servers, SchedulersTest.KEY).ifPresent(r -> counts.merge(r.id(), 1, Integer::sum));
    }
    for (int i = 0; i < weights.size(); i++) {
      int expected = gcd == 0 ? 0 : 2 * weights.get(i) / gcd;
      assertThat(counts.getOrDefault("s" + i, 0)).as("server %d of %s", i, weights).isEqualTo(expected);
    }
  }

  @Property(tries = 50)
  void maglevRemovingAServerMovesFewOtherSlots(
      @ForAll @IntRange(min = 3, max = 12) int n, @ForAll @IntRange(min = 0, max = 11) int removeAt) {
    int victim = removeAt % n;
    List<RealServer> before = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      before.add(RealServer.of("10.1.0." + i + ":8080", 1));
    }
    List<RealServer> after = new ArrayList<>(before);
    String removed = after.remove(victim).id();
    int size = 4093;
    String[] t1 = Maglev.populate(before, size);
    String[] t2 = Maglev.populate(after, size);
    int moved = 0;
    int held = 0;
    Map<String, Integer> share = new HashMap<>();
    for (int i = 0; i < size; i++) {
      share.merge(t2[i], 1, Integer::sum);
      if (t1[i].equals(removed)) {
        held++;
      } else if (!t1[i].equals(t2[i])) {
        moved++;
      }
    }
    // every slot of the removed server must move; of the others, only a small fraction may
    assertThat(held).isGreaterThan(0);
    assertThat(moved).as("slots moved between surviving servers").isLessThan(size / 10);
    // and the table stays balanced: each server within 10 % of its fair share
    for (int count : share.values()) {
      assertThat(count).isBetween((int) (size / (n - 1) * 0.9), (int) (size / (n - 1) * 1.1) + 1);
    }
  }

  @Property(tries = 30)
  void maglevShareFollowsWeights(@ForAll @IntRange(min = 1, max = 5) int wa, @ForAll @IntRange(min = 1, max = 5) int wb) {
    String[] t = Maglev.populate(List.of(RealServer.of("a:1", wa), RealServer.of("b:1", wb)), 4093);
    long a = java.util.Arrays.stream(t).filter("a:1"::equals).count();
    double expected = 4093.0 * wa / (wa + wb);
    assertThat((double) a).isBetween(expected - 4093 * 0.02, expected + 4093 * 0.02);
  }
}
