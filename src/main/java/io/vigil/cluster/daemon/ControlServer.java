package io.vigil.cluster.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local control API: a unix domain socket with mode 0600 inside the 0700 state directory,
 * one JSON request line in, one JSON response line out per connection. The caller's user comes
 * from the kernel (SO_PEERCRED) and becomes the author of changes. Bad requests get
 * {@code {"ok":false,"error":...}}; nothing a client sends can stop the server.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
  static final int MAX_REQUEST = 8 << 20;

  /** Handles one request; {@code user} is the peer's user name from the kernel. */
  @FunctionalInterface
  public interface Handler {
    ObjectNode handle(JsonNode request, String user) throws Exception;
  }

  private final Path path;
  private final ServerSocketChannel server;
  private final Handler handler;
  private final Thread acceptor;
  private final ObjectMapper json = new ObjectMapper();

  public ControlServer(Path path, Handler handler) throws IOException {
    this.path = path;
    this.handler = handler;
    Files.deleteIfExists(path);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    acceptor = Thread.ofPlatform().daemon().name("vigil-control").start(this::acceptLoop);
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel c = server.accept();
        Thread.ofVirtual().name("vigil-control-conn").start(() -> serve(c));
      } catch (IOException e) {
        if (server.isOpen()) LOG.warn("control socket accept failed: {}", e.getMessage());
      }
    }
  }

  private void serve(SocketChannel c) {
    try (c) {
      String user = "unknown";
      try {
        UnixDomainPrincipal p = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
        user = p.user().getName();
      } catch (IOException | UnsupportedOperationException e) {
        LOG.debug("no peer credentials: {}", e.getMessage());
      }
      ObjectNode resp;
      try {
        String line = readLine(c);
        resp = handler.handle(json.readTree(line), user);
      } catch (Exception e) {
        resp = error(e.getMessage() == null ? e.toString() : e.getMessage());
      } catch (Error e) {
        // Not an expected failure (a bug, a class that failed to load, a stack overflow): the
        // client still gets an answer instead of a closed connection, and the log has the trace.
        LOG.error("control request failed with {}", e.toString(), e);
        resp = error("internal error: " + e);
      }
      byte[] out = (json.writeValueAsString(resp) + "\n").getBytes(StandardCharsets.UTF_8);
      ByteBuffer buf = ByteBuffer.wrap(out);
      while (buf.hasRemaining()) c.write(buf);
    } catch (IOException e) {
      LOG.debug("control connection failed: {}", e.getMessage());
    }
  }

  /** A failure response. */
  public static ObjectNode error(String message) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("ok", false);
    n.put("error", message);
    return n;
  }

  private static String readLine(SocketChannel c) throws IOException {
    var in = Channels.newInputStream(c);
    var out = new java.io.ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      out.write(b);
      if (out.size() > MAX_REQUEST) throw new IOException("request longer than " + MAX_REQUEST + " bytes");
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(path);
  }
}
