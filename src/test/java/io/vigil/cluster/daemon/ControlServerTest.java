package io.vigil.cluster.daemon;

import io.vigil.exec.ControlClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real unix socket server with a stand-in handler: modes, peer user, garbage in. */
class ControlServerTest {
  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  private String raw(Path sock, byte[] bytes) throws Exception {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(sock));
      c.write(ByteBuffer.wrap(bytes));
      c.shutdownOutput();
      return new String(Channels.newInputStream(c).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void socketIsOwnerOnlyAndAnswersWithTheKernelsPeerUser() throws Exception {
    Path sock = StateDir.socket(StateDir.prepare(dir.resolve("s")));
    ControlServer.Handler echo = (req, user) -> {
      ObjectNode n = json.createObjectNode();
      n.put("ok", true);
      n.put("user", user);
      n.put("op", req.path("op").asText());
      return n;
    };
    try (ControlServer server = new ControlServer(sock, echo)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent()))).isEqualTo("rwx------");
      var r = new ControlClient(sock).call(json.createObjectNode().put("op", "status"));
      assertThat(r.path("user").asText()).isEqualTo(System.getProperty("user.name"));
      assertThat(r.path("op").asText()).isEqualTo("status");
    }
    assertThat(sock).doesNotExist();
  }

  @Test
  void garbageGetsAnErrorAndTheServerKeepsServing() throws Exception {
    Path sock = StateDir.socket(StateDir.prepare(dir.resolve("g")));
    ControlServer.Handler strict = (req, user) -> {
      if (!req.isObject()) throw new IllegalArgumentException("request is not a JSON object");
      return json.createObjectNode().put("ok", true);
    };
    try (ControlServer server = new ControlServer(sock, strict)) {
      assertThat(raw(sock, "{{{{\n".getBytes(StandardCharsets.UTF_8))).contains("\"ok\":false");
      assertThat(raw(sock, new byte[] {(byte) 0xff, 0, 1, 2, '\n'})).contains("\"ok\":false");
      assertThat(raw(sock, "[1,2]\n".getBytes(StandardCharsets.UTF_8))).contains("not a JSON object");
      assertThat(raw(sock, new byte[0])).contains("\"ok\":false");
      assertThat(new ControlClient(sock).call(json.createObjectNode()).path("ok").asBoolean()).isTrue();
    }
  }

  @Test
  void clientSaysWhereItLookedWhenNoDaemonRuns() {
    Path sock = dir.resolve("none.sock");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ControlClient(sock).call(json.createObjectNode()))
        .hasMessageContaining(sock.toString()).hasMessageContaining("vigild running");
  }
}
