package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IPv6 for real: kernel DAD refuses a duplicate, send_ua moves the client's neighbour entry. */
@Tag("slow")
class FloatingAddressIpv6NetnsTest {
  static final String VIP = "fd77::100";
  static NetnsLab lab;

  @TempDir Path state;

  @BeforeAll
  static void buildLab() throws Exception {
    lab = NetnsLab.up("vf6", 3, true);
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
      NetnsLab.run(List.of("ip", "-n", ns, "addr", "del", VIP + "/64", "dev", "eth0"));
    }
  }

  FloatingAddressAgent agent(String ns) {
    IpParams p = IpParams.parse("vip6", Map.of("address", VIP + "/64", "interface", "eth0", "netns", ns,
        "state-dir", state.toString(), "announce-count", "3", "announce-interval", "100ms",
        // a generous probe window: under heavy CI load the third host may answer late
        "probe-timeout", "2s"));
    return new FloatingAddressAgent(p, new SystemProcessRunner(),
        new FileOwnershipStore(state, InstantSource.system()), Tools.locate(), System::nanoTime, Sleeper.SYSTEM);
  }

  static boolean configured(String ns) throws Exception {
    return AddressListing.parse(NetnsLab.sh("ip", "-n", ns, "-j", "addr", "show"))
        .on("eth0", InetAddress.getByName(VIP)).isPresent();
  }

  @Test
  void duplicateDetectedByDadIsRefusedAndRemovedAgain() throws Exception {
    NetnsLab.sh("ip", "-n", lab.host(2), "addr", "add", VIP + "/64", "dev", "eth0", "nodad");
    AgentResult r = agent(lab.host(1)).start();
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).contains("duplicate address detection failed");
    assertThat(configured(lab.host(1))).isFalse();
    assertThat(configured(lab.host(2))).isTrue();
  }

  @Test
  void movedAddressIsAnnouncedAndTheClientFollows() throws Exception {
    FloatingAddressAgent h1 = agent(lab.host(1));
    FloatingAddressAgent h2 = agent(lab.host(2));
    AgentResult start = h1.start();
    assertThat(start.rc()).as(start.message()).isZero();
    assertThat(lab.clientPings(VIP)).isTrue();
    assertThat(lab.clientNeighbour(VIP)).contains(lab.mac(lab.host(1)));

    AddressMove.Outcome o = AddressMove.move("h1", h1, "h2", h2);
    assertThat(o.moved()).as(o.message()).isTrue();
    // ndisc6 saw only h1 answer, so h2 added the address without waiting for DAD
    assertThat(o.steps().getFirst().result().message()).contains("only the current holder answers");
    assertThat(AddressListing.parse(NetnsLab.sh("ip", "-n", lab.host(2), "-j", "addr", "show"))
        .on("eth0", InetAddress.getByName(VIP)).orElseThrow().dadFailed()).isFalse();
    await().atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(lab.clientNeighbour(VIP)).contains(lab.mac(lab.host(2))));
    assertThat(lab.clientPings(VIP)).isTrue();
    assertThat(h2.stop().rc()).isZero();
    assertThat(h2.monitor().rc()).isEqualTo(AgentResult.OCF_NOT_RUNNING);
  }

  @Test
  void plannedMoveIsRefusedWhenAThirdHostAnswersTheSolicitation() throws Exception {
    FloatingAddressAgent h1 = agent(lab.host(1));
    FloatingAddressAgent h2 = agent(lab.host(2));
    assertThat(h1.start().rc()).isZero();
    NetnsLab.sh("ip", "-n", lab.host(3), "addr", "add", VIP + "/64", "dev", "eth0", "nodad");
    AddressMove.Outcome o = AddressMove.move("h1", h1, "h2", h2);
    assertThat(o.moved()).isFalse();
    assertThat(o.message()).contains("also answered by MAC " + lab.mac(lab.host(3)));
    assertThat(configured(lab.host(1))).isTrue();
    assertThat(configured(lab.host(2))).isFalse();
  }
}
