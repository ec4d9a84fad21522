package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpCommandsTest {

  @Test
  void addAndDeleteUseNamespaceFlagAndLabel() {
    IpParams p = IpParams.parse("v", Map.of("address", "10.77.0.100/24", "interface", "eth0",
        "netns", "lab-h1", "label", "vip"));
    assertThat(IpCommands.add("ip", p)).containsExactly(
        "ip", "-n", "lab-h1", "addr", "add", "10.77.0.100/24", "dev", "eth0", "label", "eth0:vip");
    assertThat(IpCommands.delete("ip", p, 24)).containsExactly(
        "ip", "-n", "lab-h1", "addr", "del", "10.77.0.100/24", "dev", "eth0");
    assertThat(IpCommands.listAddresses("ip", Optional.empty())).containsExactly("ip", "-j", "addr", "show");
  }

  @Test
  void otherToolsRunThroughIpNetnsExec() {
    IpParams p = IpParams.parse("v", Map.of("address", "fd77::100/64", "interface", "eth0", "netns", "n1",
        "announce-count", "3", "announce-interval", "0.5s"));
    assertThat(IpCommands.inNetns("ip", p.netns(), IpCommands.sendUa("/usr/libexec/heartbeat/send_ua", p)))
        .containsExactly("ip", "netns", "exec", "n1", "/usr/libexec/heartbeat/send_ua",
            "-i", "500", "-c", "3", "fd77::100", "64", "eth0");
    assertThat(IpCommands.inNetns("ip", Optional.empty(), List.of("arping"))).containsExactly("arping");
    assertThat(IpCommands.add("ip", p)).doesNotContain("nodad");
    IpParams noProbe = IpParams.parse("v", Map.of("address", "fd77::100/64", "interface", "eth0", "probe", "false"));
    assertThat(IpCommands.add("ip", noProbe)).endsWith("nodad");
  }
}
