package io.vigil.agents.balancer.proxy;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;

/**
 * One client connection and its backend connection. Both channels live on the same event
 * loop, so this state needs no locking.
 *
 * <pre>
 *   CONNECTING  --backend connected-->          ACTIVE
 *   CONNECTING  --connect failed / client gone--> CLOSED
 *   ACTIVE      --either side sent FIN-->       HALF_CLOSED
 *   ACTIVE, HALF_CLOSED --both FINs or close--> CLOSED
 * </pre>
 *
 * The state drives the real server's active/inactive counters: CONNECTING and HALF_CLOSED
 * count as inactive, ACTIVE as active.
 */
final class ProxiedConnection {
  enum State { CONNECTING, ACTIVE, HALF_CLOSED, CLOSED }

  final Channel inbound;
  final Backend backend;
  Channel outbound;
  private State state = State.CONNECTING;
  /**
   * System.nanoTime() of the last bytes read from either side: written on the event loop; the idle
   * sweep reads it from another thread as a hint and checks again on the event loop before closing.
   */
  private long lastActivityNanos = System.nanoTime();
  /** System.nanoTime() when the backend connect began: the proxy's sweep gives it up after the connect timeout. */
  private final long connectStartNanos = lastActivityNanos;
  private boolean clientInputDone;
  private boolean serverInputDone;

  ProxiedConnection(Channel inbound, Backend backend) {
    this.inbound = inbound;
    this.backend = backend;
    backend.counters().connecting();
  }

  State state() {
    return state;
  }

  /** Bytes came from either side. */
  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /** Whether no bytes came from either side for {@code quietNanos}. */
  boolean quietFor(long quietNanos) {
    return System.nanoTime() - lastActivityNanos >= quietNanos;
  }

  /** Whether the backend connect is still pending {@code timeoutNanos} after it began. */
  boolean connectingLongerThan(long timeoutNanos) {
    return state == State.CONNECTING && System.nanoTime() - connectStartNanos >= timeoutNanos;
  }

  /** The backend accepted; false when the client is already gone (the caller closes the backend). */
  boolean connected() {
    if (state != State.CONNECTING) {
      return false;
    }
    state = State.ACTIVE;
    backend.counters().connected();
    if (clientInputDone) {
      // The client's FIN came while connecting (epoll reports RDHUP even with AUTO_READ off).
      clientInputDone = false;
      inputShutdown(true);
    }
    return true;
  }

  void connectFailed() {
    if (state == State.CONNECTING) {
      backend.counters().connectFailed();
      finish();
    }
  }

  /**
   * One side sent FIN: pass it on to the other side once everything read before it is
   * written, and close both when both directions are done.
   */
  void inputShutdown(boolean fromClient) {
    if (state == State.CLOSED) {
      return;
    }
    if (fromClient) {
      clientInputDone = true;
    } else {
      serverInputDone = true;
    }
    if (state == State.CONNECTING) {
      return; // passed on by connected()
    }
    if (state == State.ACTIVE) {
      state = State.HALF_CLOSED;
      backend.counters().halfClosed();
    }
    Channel peer = fromClient ? outbound : inbound;
    if (peer == null || !peer.isActive()) {
      return;
    }
    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
      if (clientInputDone && serverInputDone) {
        closeOnFlush(inbound);
        closeOnFlush(outbound);
      } else if (f.isSuccess() && sendFin(peer)) {
        // The peer's own FIN will end the connection: let the transport close on it rather than
        // half-close first (a shutdown call that fails on a socket already in TIME_WAIT).
        peer.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
      } else {
        peer.close();
      }
    });
  }

  /** One of the channels closed: account, and close the other after flushing what it has. */
  void closed() {
    if (state == State.CLOSED) {
      return;
    }
    switch (state) {
      case ACTIVE -> backend.counters().closedFromActive();
      case CONNECTING, HALF_CLOSED -> backend.counters().closedFromInactive();
      default -> { }
    }
    finish();
    closeOnFlush(inbound);
    closeOnFlush(outbound);
  }

  private void finish() {
    state = State.CLOSED;
    backend.onClose().run();
  }

  /**
   * Shuts down the output of {@code ch} (sends its FIN); call it once everything written to
   * {@code ch} is flushed. False if that failed (the socket is already gone). On the native
   * transports this is {@code shutdown(SHUT_WR)} on the socket itself: Netty's {@code
   * shutdownOutput()} builds an exception with a full stack trace on every call, to fail writes
   * that could still be queued (none can be here: the other side's input has ended), which was 4 %
   * of the event loop's CPU per proxied connection with {@code Connection: close} (docs/balancer.md).
   */
  static boolean sendFin(Channel ch) {
    if (ch instanceof UnixChannel unix && unix.fd() instanceof Socket socket) {
      try {
        socket.shutdown(false, true);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    return ch instanceof DuplexChannel duplex && duplex.shutdownOutput().isSuccess();
  }

  /**
   * Sets up either socket of a proxied connection before it is registered: pooled buffers, receive
   * buffers up to 256 KiB, half-closure allowed, read interest from the start (epoll), a member of
   * {@code open} (closed on stop), and {@code handler} as its only handler.
   */
  static void prepareSocket(SocketChannel ch, ChannelGroup open, ChannelHandler handler) {
    SocketChannelConfig c = ch.config();
    c.setAllocator(PooledByteBufAllocator.DEFAULT);
    c.setRecvByteBufAllocator(BackendConnector.RECEIVE_BUFFERS);
    c.setAllowHalfClosure(true);
    EpollInterest.readFromStart(ch);
    open.add(ch);
    ch.pipeline().addLast(handler);
  }

  /** Closes a channel after everything queued on it has been flushed. */
  static void closeOnFlush(Channel ch) {
    if (ch != null && ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else if (ch != null) {
      ch.close();
    }
  }
}
