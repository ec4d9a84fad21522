package io.vigil.agents.balancer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A real TCP server on 127.0.0.1 for tests: one virtual thread per connection (public: the cluster tests use it as a backend). */
public final class LoopbackServer implements AutoCloseable {
  interface Handler {
    void handle(Socket s) throws IOException;
  }

  final String name;
  public final AtomicInteger accepted = new AtomicInteger();
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private LoopbackServer(String name, ServerSocket listener, Handler handler) {
    this.name = name;
    this.listener = listener;
    Thread.ofVirtual().name("loopback-" + name).start(() -> {
      while (!listener.isClosed()) {
        try {
          Socket s = listener.accept();
          accepted.incrementAndGet();
          open.add(s);
          Thread.ofVirtual().start(() -> {
            try (s) {
              handler.handle(s);
            } catch (IOException e) {
              // client went away; normal in these tests
            } finally {
              open.remove(s);
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  static LoopbackServer start(String name, int port, Handler handler) throws IOException {
    ServerSocket ss = new ServerSocket();
    ss.setReuseAddress(true);
    ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    return new LoopbackServer(name, ss, handler);
  }

  /** Writes its name and a newline, then echoes until the client closes. */
  public static LoopbackServer identifying(String name, int port) throws IOException {
    return start(name, port, s -> {
      OutputStream out = s.getOutputStream();
      out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    });
  }

  public int port() {
    return listener.getLocalPort();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  /** Dies like a killed process: listener gone, open connections reset. */
  public void kill() throws IOException {
    listener.close();
    for (Socket s : open) {
      try {
        // A connection its handler already closed (the client hung up) needs no reset.
        if (!s.isClosed()) s.setSoLinger(true, 0);
      } catch (java.net.SocketException closedMeanwhile) {
        // closed by its handler between the check and the call: nothing left to reset
      }
      s.close();
    }
  }

  int openConnections() {
    return open.size();
  }

  @Override
  public void close() throws IOException {
    kill();
  }
}
