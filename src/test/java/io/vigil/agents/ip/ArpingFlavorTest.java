package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArpingFlavorTest {
  static final String HABETS_PROBE_ANSWERED = """
      ARPING 10.77.0.12
      42 bytes from 2a:11:d4:f0:21:a2 (10.77.0.12): index=0 time=7.461 usec

      --- 10.77.0.12 statistics ---
      2 packets transmitted, 1 packets received,  50% unanswered (0 extra)
      """;
  static final String HABETS_UNANSWERED = """
      ARPING 10.77.0.100
      Timeout
      Timeout

      --- 10.77.0.100 statistics ---
      2 packets transmitted, 0 packets received, 100% unanswered (0 extra)
      """;

  @Test
  void recognisesBothDebianArpings() {
    assertThat(ArpingFlavor.fromHelp("ARPing 2.23, by Thomas Habets <thomas@habets.se>")).isEqualTo(ArpingFlavor.HABETS);
    assertThat(ArpingFlavor.fromHelp("arping from iputils 20221126")).isEqualTo(ArpingFlavor.IPUTILS);
    assertThatThrownBy(() -> ArpingFlavor.fromHelp("busybox arping")).hasMessageContaining("unknown variant");
  }

  @Test
  void buildsAnnounceAndProbeArgvPerFlavor() {
    assertThat(ArpingFlavor.HABETS.announceArgv("arping", "eth0", "10.0.0.5", 5, Duration.ofMillis(200)))
        .containsExactly("arping", "-U", "-i", "eth0", "-S", "10.0.0.5", "-c", "5", "-W", "0.2", "10.0.0.5");
    assertThat(ArpingFlavor.IPUTILS.announceArgv("arping", "eth0", "10.0.0.5", 3, Duration.ofSeconds(1)))
        .containsExactly("arping", "-U", "-I", "eth0", "-s", "10.0.0.5", "-c", "3", "-i", "1", "10.0.0.5");
    assertThat(ArpingFlavor.HABETS.probeArgv("arping", "eth0", "10.0.0.5", Duration.ofSeconds(1)))
        .containsExactly("arping", "-0", "-i", "eth0", "-c", "2", "-W", "0.5", "-w", "1", "10.0.0.5");
    assertThat(ArpingFlavor.IPUTILS.probeArgv("arping", "eth0", "10.0.0.5", Duration.ofMillis(1500)))
        .containsExactly("arping", "-D", "-I", "eth0", "-c", "2", "-w", "2", "10.0.0.5");
  }

  @Test
  void probeAnsweredNamesTheOtherMac() {
    var r = ArpingFlavor.HABETS.readProbe(new ProcessRunner.Output(0, HABETS_PROBE_ANSWERED, ""));
    assertThat(r.answered()).isTrue();
    assertThat(r.macs()).containsExactly("2a:11:d4:f0:21:a2");
    assertThat(ArpingFlavor.HABETS.readProbe(new ProcessRunner.Output(1, HABETS_UNANSWERED, "")).answered()).isFalse();
    var ip = ArpingFlavor.IPUTILS.readProbe(new ProcessRunner.Output(1,
        "ARPING 10.0.0.5 from 0.0.0.0 eth0\nUnicast reply from 10.0.0.5 [52:54:00:12:34:56]  0.6ms\nSent 1 probes\nReceived 1 response(s)\n", ""));
    assertThat(ip.answered()).isTrue();
    assertThat(ip.macs()).containsExactly("52:54:00:12:34:56");
    assertThat(ArpingFlavor.IPUTILS.readProbe(new ProcessRunner.Output(0, "Sent 2 probes\nReceived 0 response(s)\n", "")).answered()).isFalse();
  }

  @Test
  void everyAnsweringMacIsReportedOnce() {
    String two = "ARPING 10.0.0.5\n42 bytes from 02:00:00:00:00:01 (10.0.0.5): index=0 time=7 usec\n"
        + "42 bytes from 02:00:00:00:00:02 (10.0.0.5): index=1 time=9 usec\n"
        + "42 bytes from 02:00:00:00:00:01 (10.0.0.5): index=2 time=8 usec\n\n"
        + "--- 10.0.0.5 statistics ---\n2 packets transmitted, 3 packets received, 0% unanswered (1 extra)\n";
    assertThat(ArpingFlavor.HABETS.readProbe(new ProcessRunner.Output(0, two, "")).macs())
        .containsExactly("02:00:00:00:00:01", "02:00:00:00:00:02");
  }

  @Test
  void aFailingToolIsNeverReadAsAFreeAddress() {
    var broken = new ProcessRunner.Output(1, "", "arping: libnet_init(LIBNET_LINK, eth9): No such device");
    assertThatThrownBy(() -> ArpingFlavor.HABETS.readProbe(broken)).hasMessageContaining("No such device");
    assertThatThrownBy(() -> ArpingFlavor.IPUTILS.readProbe(new ProcessRunner.Output(2, "", "arping: unknown iface eth9")))
        .hasMessageContaining("unknown iface");
    assertThatThrownBy(() -> ArpingFlavor.HABETS.checkAnnounce(broken)).hasMessageContaining("sent no announcement");
  }

  @Test
  void unansweredUnsolicitedArpIsASuccessfulAnnouncement() {
    ArpingFlavor.HABETS.checkAnnounce(new ProcessRunner.Output(1, HABETS_UNANSWERED, ""));
    ArpingFlavor.IPUTILS.checkAnnounce(new ProcessRunner.Output(0, "Sent 5 probes (5 broadcast(s))\nReceived 0 response(s)\n", ""));
  }
}
