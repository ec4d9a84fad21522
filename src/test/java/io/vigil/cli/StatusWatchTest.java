package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cluster.daemon.ControlServer;
import io.vigil.cluster.daemon.StateDir;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil status --watch} against a real control socket serving a canned status. */
class StatusWatchTest {
  @TempDir Path dir;

  @Test
  void watchRefreshesTheStatusUntilItsCountAndShowsEachOnAFreshScreen() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ObjectMapper json = new ObjectMapper();
    try (ControlServer server = new ControlServer(StateDir.socket(dir), (req, user) -> {
      ObjectNode n = json.createObjectNode().put("ok", true).put("cluster", "demo").put("epoch", calls.incrementAndGet())
          .put("leader", "alpha").put("term", 1).put("node", "alpha").put("role", "LEADER");
      n.putObject("quorum").put("hasQuorum", true).put("voters", 3).put("needed", 2);
      n.putArray("members");
      return n;
    })) {
      PrintStream saved = System.out;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      System.setOut(new PrintStream(buf, true));
      int rc;
      try {
        rc = Main.commandLine().execute("status", "--watch", "--interval", "100ms", "--count", "3", "--state-dir", dir.toString());
      } finally {
        System.setOut(saved);
      }
      String out = buf.toString();
      assertThat(rc).isZero();
      assertThat(calls.get()).isEqualTo(3);
      assertThat(out).contains("cluster demo   epoch 1", "epoch 2", "epoch 3").contains("Ctrl-C to stop");
      assertThat(out.split("\\033\\[H\\033\\[2J", -1)).hasSize(4);
    }
  }

  @Test
  void aBadIntervalIsRefused() {
    assertThat(Main.commandLine().execute("status", "--watch", "--interval", "5ms", "--state-dir", dir.toString())).isEqualTo(2);
  }
}
