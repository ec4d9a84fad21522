package io.vigil.agents.volume.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy for the peer link that flips one bit in the data of the first {@code flips}
 * frames of type WRITE (plaintext framing) or, in {@code anyFrame} mode, in any frame after the first
 * {@code skipFrames} (for the encrypted framing, where the payload cannot be parsed).
 */
public final class FlippingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final AtomicInteger flipsLeft;
  private final boolean anyFrame;
  private final int skipFrames;
  public final AtomicInteger flipped = new AtomicInteger();
  /** While set, bytes are read and dropped in both directions: a silent partition (no FIN, no RST). */
  public volatile boolean blackHole;
  private volatile boolean closed;
  private final java.util.List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

  public FlippingProxy(int port, InetSocketAddress target, int flips, boolean anyFrame, int skipFrames) throws IOException {
    this.server = new ServerSocket(port, 4, InetAddress.getLoopbackAddress());
    this.target = target;
    this.flipsLeft = new AtomicInteger(flips);
    this.anyFrame = anyFrame;
    this.skipFrames = skipFrames;
    Thread t = new Thread(this::accept, "flipping-proxy");
    t.setDaemon(true);
    t.start();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket in = server.accept();
        Socket out;
        try {
          out = new Socket(target.getAddress(), target.getPort());
        } catch (IOException e) {
          in.close(); // target not up yet: the dialer sees a closed connection and retries
          continue;
        }
        sockets.add(in);
        sockets.add(out);
        start(() -> frames(in.getInputStream(), out.getOutputStream()));
        start(() -> copy(out.getInputStream(), in.getOutputStream()));
      } catch (IOException e) {
        if (closed) return;
      }
    }
  }

  private static void start(IoRunnable r) {
    Thread t = new Thread(() -> {
      try {
        r.run();
      } catch (IOException ignored) {
        // a side closed
      }
    }, "flipping-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private interface IoRunnable {
    void run() throws IOException;
  }

  private void frames(InputStream rawIn, OutputStream out) throws IOException {
    DataInputStream in = new DataInputStream(rawIn);
    int seen = 0;
    try {
      while (true) {
        int len = in.readInt();
        byte[] frame = new byte[len];
        in.readFully(frame);
        seen++;
        boolean candidate = anyFrame ? seen > skipFrames && len > 0 : len > 29 && frame[0] == 2;
        if (candidate && flipsLeft.getAndDecrement() > 0) {
          int at = anyFrame ? len / 2 : 29 + (len - 29) / 2;
          frame[at] ^= 0x10;
          flipped.incrementAndGet();
        }
        if (blackHole) continue;
        out.write(new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
        out.write(frame);
        out.flush();
      }
    } finally {
      out.close();
    }
  }

  private void copy(InputStream in, OutputStream out) throws IOException {
    try (in; out) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) >= 0; ) {
        if (!blackHole) out.write(buf, 0, n);
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : sockets) s.close();
  }
}
