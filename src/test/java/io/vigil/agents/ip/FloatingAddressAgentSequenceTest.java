package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's sequencing over a scripted process runner: paths the real namespace tests cannot
 * force (DAD never finishing, failing ip commands, missing tools). Real behaviour is in the
 * *NetnsTest classes.
 */
class FloatingAddressAgentSequenceTest {
  @TempDir Path state;
  final List<String> calls = new ArrayList<>();
  String addrJson = "[{\"ifname\":\"eth0\",\"flags\":[\"UP\"],\"address\":\"02:00:00:00:00:01\",\"addr_info\":[]}]";
  int addExit = 0;
  long nanos = 0;

  final ProcessRunner runner = (argv, timeout) -> {
    String cmd = String.join(" ", argv);
    calls.add(cmd);
    if (cmd.endsWith("--help")) {
      return new ProcessRunner.Output(0, "ARPing 2.23, by Thomas Habets <thomas@habets.se>\n", "");
    }
    if (cmd.contains(" -j addr show")) {
      return new ProcessRunner.Output(0, addrJson, "");
    }
    if (cmd.contains(" addr add ")) {
      if (addExit == 0) {
        addrJson = addrJson.replace("\"addr_info\":[]", "\"addr_info\":[{\"family\":\"inet6\",\"local\":\"fd77::100\","
            + "\"prefixlen\":64,\"tentative\":true}]");
      }
      return new ProcessRunner.Output(addExit, "", addExit == 0 ? "" : "RTNETLINK answers: Permission denied");
    }
    if (cmd.contains(" addr del ")) {
      addrJson = addrJson.replaceAll("\"addr_info\":\\[.*]}]", "\"addr_info\":[]}]");
      return new ProcessRunner.Output(0, "", "");
    }
    if (cmd.contains("send_ua")) {
      return new ProcessRunner.Output(0, "", "");
    }
    throw new IOException("unexpected command " + cmd);
  };

  FloatingAddressAgent agent(Tools tools, String... extra) {
    Map<String, String> raw = new HashMap<>(Map.of("address", "fd77::100/64", "interface", "eth0",
        "state-dir", state.toString(), "dad-timeout", "2s"));
    for (int i = 0; i < extra.length; i += 2) {
      raw.put(extra[i], extra[i + 1]);
    }
    return new FloatingAddressAgent(IpParams.parse("v6", raw), runner,
        new FileOwnershipStore(state, InstantSource.system()), tools, () -> nanos,
        d -> nanos += d.toNanos());
  }

  static Tools tools() {
    return new Tools("ip", Optional.of("arping"), Optional.of("send_ua"));
  }

  @Test
  void dadThatNeverFinishesIsRefusedAndTheAddressRemoved() {
    FloatingAddressAgent a = agent(tools());
    AgentResult r = a.start();
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).contains("did not finish within 2s").contains("address removed again");
    assertThat(calls).anyMatch(c -> c.startsWith("ip addr del fd77::100/64 dev eth0"));
    assertThat(calls).noneMatch(c -> c.contains("send_ua"));
    assertThat(new FileOwnershipStore(state, InstantSource.system()).isRecorded(a.params().key())).isFalse();
    assertThat(nanos).isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void failedAddLeavesNoOwnershipRecord() {
    addExit = 2;
    FloatingAddressAgent a = agent(tools());
    AgentResult r = a.start();
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).contains("could not add").contains("Permission denied");
    assertThat(new FileOwnershipStore(state, InstantSource.system()).isRecorded(a.params().key())).isFalse();
  }

  @Test
  void missingAnnouncerIsReportedBeforeAnythingChanges() {
    AgentResult r = agent(new Tools("ip", Optional.of("arping"), Optional.empty())).start();
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_INSTALLED);
    assertThat(r.message()).contains("send_ua not found");
    assertThat(calls).noneMatch(c -> c.contains(" addr add "));
  }

  @Test
  void probeFalseAddsWithNodadAndDoesNotWait() {
    AgentResult r = agent(tools(), "probe", "false").start();
    assertThat(r.rc()).as(r.message()).isZero();
    assertThat(calls).anyMatch(c -> c.equals("ip addr add fd77::100/64 dev eth0 nodad"));
    assertThat(calls).anyMatch(c -> c.startsWith("send_ua -i 200 -c 5 fd77::100 64 eth0"));
    assertThat(nanos).isZero();
  }

  @Test
  void addressLeftWithFailedDadIsNotReportedAsStarted() {
    addrJson = addrJson.replace("\"addr_info\":[]", "\"addr_info\":[{\"family\":\"inet6\",\"local\":\"fd77::100\","
        + "\"prefixlen\":64,\"tentative\":true,\"dadfailed\":true}]");
    AgentResult r = agent(tools()).start();
    assertThat(r.rc()).isEqualTo(AgentResult.OCF_ERR_GENERIC);
    assertThat(r.message()).contains("failed duplicate address detection");
    assertThat(calls).noneMatch(c -> c.contains(" addr add "));
  }
}
