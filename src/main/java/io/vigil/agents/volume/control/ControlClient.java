package io.vigil.agents.volume.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sends one request to a volume process's control socket and returns its reply. */
public final class ControlClient {
  private ControlClient() {}

  /** A reply: {@code ok} with text, or an error message. */
  public record Reply(boolean ok, String text) {}

  public static Reply send(Path socket, String request) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        throw new IOException("cannot reach the volume process at " + socket + " (is 'vigil volume serve' running?): " + e.getMessage(), e);
      }
      ch.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
      String all = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
      if (all.startsWith("ok\n")) return new Reply(true, all.substring(3).stripTrailing());
      if (all.startsWith("error ")) return new Reply(false, all.substring(6).stripTrailing());
      throw new IOException("volume process at " + socket + " sent an unexpected reply: " + all.lines().findFirst().orElse("(nothing)"));
    }
  }
}
