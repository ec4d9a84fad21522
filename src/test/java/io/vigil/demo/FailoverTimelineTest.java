package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.demo.FailoverTimeline.ClusterEvent;
import io.vigil.demo.FailoverTimeline.Sample;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FailoverTimelineTest {
  static final long FAULT_MS = 1_000_000;
  static final long FAULT_NS = 5_000_000_000L;

  static Probe ok(long msAfter, String node) {
    long t = FAULT_NS + msAfter * 1_000_000;
    return new Probe(t, t + 2_000_000, Probe.Result.OK, node);
  }

  static Probe failed(long msAfter) {
    long t = FAULT_NS + msAfter * 1_000_000;
    return new Probe(t, t + 50_000_000, Probe.Result.TIMEOUT, "");
  }

  static final List<ClusterEvent> EVENTS = List.of(
      new ClusterEvent(FAULT_MS - 5000, "ACTION", "beta", "web-http", "start rc 0"),
      new ClusterEvent(FAULT_MS + 1010, "NODE", "beta", "", "node lost: not heard for 1003 ms"),
      new ClusterEvent(FAULT_MS + 1200, "FENCING", "beta", "", "reboot of beta via topology succeeded: automatic"),
      new ClusterEvent(FAULT_MS + 1700, "ACTION", "gamma", "web-ip", "start rc 0"),
      new ClusterEvent(FAULT_MS + 2100, "ACTION", "gamma", "web-http", "start rc 0"));

  @Test
  void eachPhaseIsMeasuredFromTheFault() {
    List<Probe> probes = List.of(ok(-20, "beta"), failed(10), failed(1000), ok(2200, "gamma"), ok(2150, "gamma"), ok(2300, "gamma"));
    FailoverTimeline t = FailoverTimeline.of("beta", FAULT_MS, FAULT_NS, "web-http", EVENTS, probes,
        List.of(new Sample(FAULT_NS, Set.of()), new Sample(FAULT_NS + 10_000_000, Set.of("gamma"))));
    assertThat(t.detectedMs()).isEqualTo(1010);
    assertThat(t.fencedMs()).isEqualTo(1200);
    assertThat(t.recoveredMs()).isEqualTo(2100);
    assertThat(t.totalMs()).isEqualTo(2152); // the earliest answer from gamma, when it completed
    assertThat(t.newNode()).isEqualTo("gamma");
    assertThat(t.dualActiveMs()).isZero();
    assertThat(t.failedProbes()).isEqualTo(2);
    assertThat(t.json("netns", "power")).contains("\"fenced_ms\":1200").contains("\"total_ms\":2152").contains("\"dual_active_ms\":0");
  }

  @Test
  void whatWasNeverObservedIsMinusOneAndNullInJson() {
    FailoverTimeline t = FailoverTimeline.of("beta", FAULT_MS, FAULT_NS, "web-http", List.of(), List.of(failed(5)), List.of());
    assertThat(List.of(t.detectedMs(), t.fencedMs(), t.recoveredMs(), t.totalMs())).containsOnly(-1L);
    assertThat(t.json("loopback", "power")).contains("\"fenced_ms\":null").contains("\"detected_ms\":null");
  }

  @Test
  void twoLiveInstancesOrAnOldAnswerAfterTheNewOneCountAsDualActive() {
    List<Sample> samples = List.of(new Sample(FAULT_NS, Set.of("beta")), new Sample(FAULT_NS + 30_000_000, Set.of("beta", "gamma")),
        new Sample(FAULT_NS + 70_000_000, Set.of("gamma")), new Sample(FAULT_NS + 80_000_000, Set.of("gamma")));
    assertThat(FailoverTimeline.of("beta", FAULT_MS, FAULT_NS, "web-http", EVENTS, List.of(), samples).dualActiveMs()).isEqualTo(40);
    List<Probe> probes = List.of(ok(2000, "gamma"), ok(2100, "beta"), ok(2150, "gamma"));
    assertThat(FailoverTimeline.of("beta", FAULT_MS, FAULT_NS, "web-http", EVENTS, probes, List.of()).dualActiveMs()).isEqualTo(100);
  }

  @Test
  void probeLinesRoundTripAndDamagedLinesAreSkipped() {
    Probe p = ok(3, "gamma");
    assertThat(Probe.parse(p.line())).contains(p);
    assertThat(Probe.parseAll(List.of("# header", p.line(), "12 34", "1 2 weird x", "1 2 ok", ""))).containsExactly(p);
    assertThat(Prober.servedBy("HTTP/1.0 200 OK\r\nContent-Length: 16\r\n\r\nserved by gamma\n")).isEqualTo("gamma");
    assertThat(Prober.servedBy("HTTP/1.0 404 Not Found\r\n\r\n")).isEqualTo("?");
  }
}
