package io.vigil.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A client of vigild's control socket (one JSON request line, one JSON answer): for the CLI, and
 * for what agents run that must reach their daemon (the attribute tools, a volume fencing its peer).
 */
public final class ControlClient {
  private final Path socket;
  private final ObjectMapper json = new ObjectMapper();

  public ControlClient(Path socket) {
    this.socket = socket;
  }

  /** Sends {@code request}; returns the response, or throws if the daemon is not reachable. */
  public JsonNode call(JsonNode request) throws IOException {
    if (!Files.exists(socket)) {
      throw new IOException("no daemon socket at " + socket + " (is vigild running with this --state-dir?)");
    }
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap((json.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) c.write(out);
      c.shutdownOutput();
      byte[] all = Channels.newInputStream(c).readAllBytes();
      if (all.length == 0) throw new IOException("daemon at " + socket + " closed the connection without answering");
      return json.readTree(new String(all, StandardCharsets.UTF_8));
    } catch (java.net.SocketException e) {
      throw new IOException("cannot reach the daemon at " + socket + ": " + e.getMessage(), e);
    }
  }
}
