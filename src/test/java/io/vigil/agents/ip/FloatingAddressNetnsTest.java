package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real thing: iproute2, arping and neighbour tables in network namespaces built here. */
@Tag("slow")
class FloatingAddressNetnsTest {
  static final String VIP = "10.77.0.100";
  static NetnsLab lab;

  @TempDir Path state;

  @BeforeAll
  static void buildLab() throws Exception {
    lab = NetnsLab.up("vfa", 3, false);
  }

  @AfterAll
  static void removeLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @AfterEach
  void removeTestAddresses() throws Exception {
    for (String ns : List.of(lab.host(1), lab.host(2), lab.host(3))) {
      for (String[] a : List.of(new String[] {VIP + "/24", "eth0"}, new String[] {VIP + "/32", "eth0"},
          new String[] {"10.77.0.200/32", "lo"})) {
        NetnsLab.run(List.of("ip", "-n", ns, "addr", "del", a[0], "dev", a[1]));
      }
    }
  }

  FloatingAddressAgent agent(String ns, String address, String dev, String... extra) {
    Map<String, String> raw = new HashMap<>(Map.of("address", address, "interface", dev, "netns", ns,
        "state-dir", state.toString(), "announce-count", "3", "announce-interval", "100ms"));
    for (int i = 0; i < extra.length; i += 2) {
      raw.put(extra[i], extra[i + 1]);
    }
    return new FloatingAddressAgent(IpParams.parse("vip", raw), new SystemProcessRunner(),
        new FileOwnershipStore(state, InstantSource.system()), Tools.locate(), System::nanoTime,
        Sleeper.SYSTEM);
  }

  static boolean configured(String ns, String address, String dev) throws Exception {
    AddressListing l = AddressListing.parse(NetnsLab.sh("ip", "-n", ns, "-j", "addr", "show"));
    return l.on(dev, InetAddress.getByName(address)).isPresent();
  }

  @Test
  void addressMovesToHost2AndTheClientFollowsItsMac() throws Exception {
    FloatingAddressAgent h1 = agent(lab.host(1), VIP + "/24", "eth0");
    FloatingAddressAgent h2 = agent(lab.host(2), VIP + "/24", "eth0");
    assertThat(h1.monitor().rc()).isEqualTo(AgentResult.OCF_NOT_RUNNING);

    AgentResult started = h1.start();
    assertThat(started.rc()).as(started.message()).isZero();
    assertThat(h1.monitor().rc()).isZero();
    assertThat(lab.clientPings(VIP)).isTrue();
    assertThat(lab.clientNeighbour(VIP)).contains(lab.mac(lab.host(1)));

    AddressMove.Outcome moved = AddressMove.move("h1", h1, "h2", h2);
    assertThat(moved.moved()).as(moved.message()).isTrue();
    assertThat(moved.steps().getFirst().action()).isEqualTo("precheck");
    assertThat(moved.steps().getFirst().result().message()).contains("only the current holder answers");
    assertThat(configured(lab.host(1), VIP, "eth0")).isFalse();
    assertThat(configured(lab.host(2), VIP, "eth0")).isTrue();
    // The gratuitous ARP alone updates the client's entry: no traffic was sent in between.
    await().atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(lab.clientNeighbour(VIP)).contains(lab.mac(lab.host(2))));
    assertThat(lab.clientPings(VIP)).isTrue();

    assertThat(h2.stop().rc()).isZero();
    assertThat(h2.monitor().rc()).isEqualTo(AgentResult.OCF_NOT_RUNNING);
    assertThat(lab.clientPings(VIP)).isFalse();
  }

  @Test
  void addressAnsweredByAnotherHostIsRefusedAtStart() throws Exception {
    NetnsLab.sh("ip", "-n", lab.host(2), "addr", "add", VIP + "/24", "dev", "eth0");
    AgentResult r = agent(lab.host(1), VIP + "/24", "eth0").start();
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).contains("another host answers ARP").contains(lab.mac(lab.host(2)));
    assertThat(configured(lab.host(1), VIP, "eth0")).isFalse();
  }

  @Test
  void addressAddedBySomeoneElseSurvivesStop() throws Exception {
    NetnsLab.sh("ip", "-n", lab.host(1), "addr", "add", VIP + "/24", "dev", "eth0");
    FloatingAddressAgent a = agent(lab.host(1), VIP + "/24", "eth0");
    AgentResult start = a.start();
    assertThat(start.rc()).isZero();
    assertThat(start.message()).contains("not added by Vigil");
    AgentResult stop = a.stop();
    assertThat(stop.rc()).isZero();
    assertThat(stop.message()).contains("left in place");
    assertThat(configured(lab.host(1), VIP, "eth0")).isTrue();
    assertThat(a.monitor().rc()).isZero();
  }

  @Test
  void startIsIdempotentAndStopRemovesOnlyWhatItAdded() throws Exception {
    FloatingAddressAgent a = agent(lab.host(1), VIP + "/24", "eth0", "label", "vip");
    assertThat(a.start().rc()).isZero();
    AgentResult again = a.start();
    assertThat(again.rc()).isZero();
    assertThat(again.message()).contains("already running");
    String shown = NetnsLab.sh("ip", "-n", lab.host(1), "addr", "show", "dev", "eth0");
    assertThat(shown).contains("eth0:vip");
    assertThat(a.stop().rc()).isZero();
    assertThat(configured(lab.host(1), VIP, "eth0")).isFalse();
    assertThat(a.stop().message()).contains("already absent");
  }

  @Test
  void loopbackAddressGetsAHostPrefixWhateverWasTyped() throws Exception {
    FloatingAddressAgent a = agent(lab.host(1), "10.77.0.200/24", "lo");
    AgentResult r = a.start();
    assertThat(r.rc()).as(r.message()).isZero();
    assertThat(r.message()).contains("using /32 instead of /24");
    AddressListing l = AddressListing.parse(NetnsLab.sh("ip", "-n", lab.host(1), "-j", "addr", "show", "dev", "lo"));
    assertThat(l.on("lo", InetAddress.getByName("10.77.0.200")).orElseThrow().prefix()).isEqualTo(32);
    // With /32 on lo the host does not claim the neighbours' addresses: 10.77.0.201 stays unanswered.
    assertThat(lab.clientPings("10.77.0.201")).isFalse();
    assertThat(a.stop().rc()).isZero();
    assertThat(configured(lab.host(1), "10.77.0.200", "lo")).isFalse();
  }

  @Test
  void addressOnAnotherInterfaceOfThisHostIsRefused() throws Exception {
    NetnsLab.sh("ip", "-n", lab.host(1), "addr", "add", "10.77.0.200/32", "dev", "lo");
    AgentResult r = agent(lab.host(1), "10.77.0.200/24", "eth0").start();
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).contains("already configured on interface lo");
  }

  @Test
  void missingInterfaceIsReportedAsNotInstalledHere() {
    AgentResult r = agent(lab.host(1), VIP + "/24", "eth7").start();
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_INSTALLED);
    assertThat(r.message()).contains("interface eth7 does not exist in netns " + lab.host(1));
  }

  @Test
  void plannedMoveIsRefusedBeforeAnythingChangesWhenAThirdHostAnswers() throws Exception {
    FloatingAddressAgent h1 = agent(lab.host(1), VIP + "/24", "eth0");
    FloatingAddressAgent h2 = agent(lab.host(2), VIP + "/24", "eth0");
    assertThat(h1.start().rc()).isZero();
    NetnsLab.sh("ip", "-n", lab.host(3), "addr", "add", VIP + "/24", "dev", "eth0");
    AddressMove.Outcome o = AddressMove.move("h1", h1, "h2", h2);
    assertThat(o.moved()).isFalse();
    assertThat(o.message()).contains("also answered by MAC " + lab.mac(lab.host(3))).contains("nothing was changed");
    assertThat(configured(lab.host(1), VIP, "eth0")).isTrue();
    assertThat(configured(lab.host(2), VIP, "eth0")).isFalse();
  }
}
