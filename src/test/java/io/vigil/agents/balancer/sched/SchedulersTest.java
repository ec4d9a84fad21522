package io.vigil.agents.balancer.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchedulersTest {
  static final InetAddress VIP = addr("192.0.2.10");
  static final ConnKey KEY = new ConnKey(addr("198.51.100.7"), 40000, VIP);

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Scheduler create(String name) {
    return Schedulers.create(name, Schedulers.Options.DEFAULTS, () -> 0L);
  }

  static List<String> picks(Scheduler s, List<RealServer> servers, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(s.select(servers, KEY).map(RealServer::id).orElse("-"));
    }
    return out;
  }

  @Test
  void rrTakesServersInTurnAndSkipsQuiescentOnes() {
    var servers = List.of(RealServer.of("a", 1), RealServer.of("b", 0), RealServer.of("c", 5));
    assertThat(picks(create("rr"), servers, 4)).containsExactly("a", "c", "a", "c");
  }

  @Test
  void wrrFollowsTheKernelSequence() {
    var servers = List.of(RealServer.of("a", 4), RealServer.of("b", 3), RealServer.of("c", 2));
    assertThat(picks(create("wrr"), servers, 9))
        .containsExactly("a", "a", "b", "a", "b", "c", "a", "b", "c");
  }

  @Test
  void wrrRestartsWhenWeightsChange() {
    Scheduler wrr = create("wrr");
    picks(wrr, List.of(RealServer.of("a", 3), RealServer.of("b", 1)), 2);
    assertThat(picks(wrr, List.of(RealServer.of("a", 1), RealServer.of("b", 1)), 4))
        .containsExactly("a", "b", "a", "b");
  }

  @Test
  void lcCountsActiveConnectionsAs256Inactive() {
    var servers = List.of(
        new RealServer("a", 1, 1, 0, false), new RealServer("b", 1, 0, 255, false));
    assertThat(create("lc").select(servers, KEY)).map(RealServer::id).contains("b");
    var more = List.of(
        new RealServer("a", 1, 1, 0, false), new RealServer("b", 1, 0, 257, false));
    assertThat(create("lc").select(more, KEY)).map(RealServer::id).contains("a");
  }

  @Test
  void wlcDividesOverheadByWeightAndBreaksTiesByOrder() {
    var servers = List.of(
        new RealServer("a", 1, 1, 0, false), new RealServer("b", 3, 2, 0, false));
    // a: 256/1, b: 512/3 -> b
    assertThat(create("wlc").select(servers, KEY)).map(RealServer::id).contains("b");
    var tie = List.of(new RealServer("a", 2, 1, 0, false), new RealServer("b", 2, 1, 0, false));
    assertThat(create("wlc").select(tie, KEY)).map(RealServer::id).contains("a");
  }

  @Test
  void sedUsesActivePlusOneOverWeight() {
    // sed: a (0+1)/1 = 1, b (1+1)/3 = 0.67 -> b ; wlc would pick a (0 overhead)
    var servers = List.of(new RealServer("a", 1, 0, 0, false), new RealServer("b", 3, 1, 0, false));
    assertThat(create("sed").select(servers, KEY)).map(RealServer::id).contains("b");
    assertThat(create("wlc").select(servers, KEY)).map(RealServer::id).contains("a");
  }

  @Test
  void nqPrefersAnIdleServerEvenIfSlower() {
    var servers = List.of(new RealServer("a", 10, 1, 0, false), new RealServer("b", 1, 0, 0, false));
    assertThat(create("nq").select(servers, KEY)).map(RealServer::id).contains("b");
    assertThat(create("sed").select(servers, KEY)).map(RealServer::id).contains("a");
  }

  @Test
  void overloadedServersAreNeverChosen() {
    var servers = List.of(new RealServer("a", 5, 0, 0, true), RealServer.of("b", 1));
    for (String name : Schedulers.NAMES) {
      if (name.equals("dh") || name.equals("sh") || name.equals("mh")) {
        continue; // hashing schedulers return nothing instead; covered below
      }
      assertThat(picks(create(name), servers, 5)).as(name).containsOnly("b");
    }
  }

  @Test
  void noServerAvailableGivesEmptyForEveryScheduler() {
    var servers = List.of(RealServer.of("a", 0), new RealServer("b", 3, 0, 0, true));
    for (String name : Schedulers.NAMES) {
      assertThat(create(name).select(servers, KEY)).as(name).isEmpty();
      assertThat(create(name).select(List.of(), KEY)).as(name + " empty list").isEmpty();
    }
  }

  @Test
  void shMapsAClientToTheSameServerAndFallsBackOnlyWhenAsked() {
    var servers = List.of(RealServer.of("a", 1), RealServer.of("b", 1), RealServer.of("c", 1));
    Scheduler sh = create("sh");
    String first = sh.select(servers, KEY).orElseThrow().id();
    assertThat(picks(sh, servers, 10)).containsOnly(first);
    List<RealServer> down = servers.stream()
        .map(s -> s.id().equals(first) ? new RealServer(s.id(), 1, 0, 0, true) : s).toList();
    assertThat(sh.select(down, KEY)).isEmpty();
    Scheduler fallback = Schedulers.create("sh",
        new Schedulers.Options(true, false, 4093, Duration.ofHours(1)), () -> 0L);
    assertThat(fallback.select(down, KEY)).map(RealServer::id).get().isNotEqualTo(first);
  }

  @Test
  void shGivesBucketsInProportionToWeight() {
    var servers = List.of(RealServer.of("a", 3), RealServer.of("b", 1));
    Map<String, Integer> counts = new HashMap<>();
    Scheduler sh = create("sh");
    for (int i = 0; i < 4096; i++) {
      var key = new ConnKey(addr("10.1." + (i / 256) + "." + (i % 256)), 1, VIP);
      counts.merge(sh.select(servers, key).orElseThrow().id(), 1, Integer::sum);
    }
    assertThat(counts.get("a")).isBetween(2800, 3300);
  }

  @Test
  void dhHashesTheDestinationNotTheClient() {
    var servers = List.of(RealServer.of("a", 1), RealServer.of("b", 1), RealServer.of("c", 1));
    Scheduler dh = create("dh");
    String first = dh.select(servers, KEY).orElseThrow().id();
    for (int i = 1; i < 50; i++) {
      var other = new ConnKey(addr("203.0.113." + i), i, VIP);
      assertThat(dh.select(servers, other)).map(RealServer::id).contains(first);
    }
  }

  @Test
  void lblcSticksToTheDestinationsServerUntilItIsOverloaded() {
    AtomicLong now = new AtomicLong();
    Scheduler lblc = Schedulers.create("lblc", Schedulers.Options.DEFAULTS, now::get);
    var servers = List.of(RealServer.of("a", 2), RealServer.of("b", 2));
    assertThat(lblc.select(servers, KEY)).map(RealServer::id).contains("a");
    // a has more active connections than its weight while b is idle: move to the least loaded
    var loaded = List.of(new RealServer("a", 2, 3, 0, false), new RealServer("b", 2, 0, 0, false));
    var busy = List.of(new RealServer("a", 2, 1, 0, false), new RealServer("b", 2, 0, 0, false));
    assertThat(lblc.select(busy, KEY)).map(RealServer::id).contains("a");
    assertThat(lblc.select(loaded, KEY)).map(RealServer::id).contains("b");
    assertThat(lblc.select(busy, KEY)).map(RealServer::id).contains("b");
  }

  @Test
  void lblcForgetsEntriesAfterTheExpiration() {
    AtomicLong now = new AtomicLong();
    var opts = new Schedulers.Options(false, false, 4093, Duration.ofSeconds(60));
    Locality lblc = (Locality) Schedulers.create("lblc", opts, now::get);
    lblc.select(List.of(RealServer.of("a", 1)), KEY);
    assertThat(lblc.tableSize()).isEqualTo(1);
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    lblc.select(List.of(RealServer.of("a", 1)), new ConnKey(KEY.client(), 1, addr("192.0.2.99")));
    assertThat(lblc.tableSize()).isEqualTo(1); // old entry gone, new one added
  }

  @Test
  void lblcrGrowsTheSetWhenOverloadedAndShrinksItLater() {
    AtomicLong now = new AtomicLong();
    var opts = new Schedulers.Options(false, false, 4093, Duration.ofSeconds(60));
    Scheduler lblcr = Schedulers.create("lblcr", opts, now::get);
    var idle = List.of(RealServer.of("a", 2), RealServer.of("b", 2));
    assertThat(lblcr.select(idle, KEY)).map(RealServer::id).contains("a");
    var aLoaded = List.of(new RealServer("a", 2, 3, 0, false), new RealServer("b", 2, 0, 0, false));
    assertThat(lblcr.select(aLoaded, KEY)).map(RealServer::id).contains("b");
    // both in the set now: the least loaded member is used
    var bLoaded = List.of(new RealServer("a", 2, 1, 0, false), new RealServer("b", 2, 2, 0, false));
    assertThat(lblcr.select(bLoaded, KEY)).map(RealServer::id).contains("a");
    now.addAndGet(Duration.ofSeconds(59).toNanos());
    lblcr.select(bLoaded, KEY);
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    lblcr.select(bLoaded, KEY); // set unchanged > 60 s: most loaded (b) leaves
    var aBusier = List.of(new RealServer("a", 2, 2, 0, false), new RealServer("b", 2, 1, 0, false));
    assertThat(lblcr.select(aBusier, KEY)).map(RealServer::id).contains("a");
  }

  @Test
  void unknownSchedulerNamesTheKnownOnes() {
    assertThatThrownBy(() -> create("wlcx"))
        .hasMessageContaining("unknown scheduler 'wlcx'")
        .hasMessageContaining("wlc, rr, wrr");
  }

  @Test
  void overloadFlagHasHysteresis() {
    assertThat(Overload.next(false, 10, 5, 9)).isFalse();
    assertThat(Overload.next(false, 10, 5, 10)).isTrue();
    assertThat(Overload.next(true, 10, 5, 6)).isTrue();
    assertThat(Overload.next(true, 10, 5, 4)).isFalse();
    assertThat(Overload.next(true, 100, 0, 75)).isTrue();
    assertThat(Overload.next(true, 100, 0, 74)).isFalse();
    assertThat(Overload.next(true, 0, 0, 1000)).isFalse();
  }
}
