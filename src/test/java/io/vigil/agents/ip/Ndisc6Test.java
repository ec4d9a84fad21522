package io.vigil.agents.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class Ndisc6Test {

  @Test
  void solicitsTwiceWithinTheTimeout() {
    assertThat(Ndisc6.argv("ndisc6", "eth0", "fd77::100", Duration.ofMillis(300)))
        .containsExactly("ndisc6", "-q", "-m", "-n", "-r", "2", "-w", "150", "fd77::100", "eth0");
  }

  @Test
  void readsEveryAnsweringMac() {
    // captured: two hosts answering for fd77::100 (ndisc6 1.0.5, -q -m)
    var out = new ProcessRunner.Output(0, "5E:2F:D2:77:5D:97\n0E:7D:58:0C:E1:53\n5E:2F:D2:77:5D:97\n", "");
    assertThat(Ndisc6.answers(out)).containsExactly("5e:2f:d2:77:5d:97", "0e:7d:58:0c:e1:53");
  }

  @Test
  void noResponseIsEmptyAndErrorsAreErrors() {
    assertThat(Ndisc6.answers(new ProcessRunner.Output(2, "", ""))).isEmpty();
    assertThatThrownBy(() -> Ndisc6.answers(new ProcessRunner.Output(1, "", "eth9: No such device")))
        .hasMessageContaining("No such device");
    assertThatThrownBy(() -> Ndisc6.answers(new ProcessRunner.Output(0, "garbage\n", "")))
        .hasMessageContaining("printed no link-layer address");
  }
}
