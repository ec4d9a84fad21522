package io.vigil.agents.balancer.proxy;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringAdaptiveBufferRingAllocator;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.function.Predicate;

/**
 * The Netty classes behind each {@link ProxyServer.Transport}, whether it can run on this machine,
 * and which one a proxy gets when the requested one cannot (io_uring, then epoll, then NIO).
 */
final class Transports {
  /**
   * io_uring: the receive buffers of each event loop's sockets come from one ring of buffers the
   * kernel picks from when data arrives. Without it Netty's io_uring channel asks for POLLIN first
   * and submits a receive once a socket is readable (a POLL_ADD and its cancel per socket); with it
   * each socket has one multishot receive, and an idle connection holds no buffer either way.
   */
  static final short BUFFER_GROUP = 0;
  /** Buffers in each event loop's ring: a used buffer is replaced at once, so this covers the reads completed between two turns. */
  static final short BUFFER_RING_SIZE = 256;

  private Transports() {
  }

  /** The transport tried when {@code t} cannot run here; null for NIO, which always can. */
  static ProxyServer.Transport fallback(ProxyServer.Transport t) {
    return switch (t) {
      case IO_URING -> ProxyServer.Transport.EPOLL;
      case EPOLL -> ProxyServer.Transport.NIO;
      case NIO -> null;
    };
  }

  /** The first transport in {@code requested}'s fallback chain that is usable; NIO in the end. */
  static ProxyServer.Transport effective(ProxyServer.Transport requested, Predicate<ProxyServer.Transport> usable) {
    for (ProxyServer.Transport t = requested; t != null; t = fallback(t)) {
      if (t == ProxyServer.Transport.NIO || usable.test(t)) {
        return t;
      }
    }
    return ProxyServer.Transport.NIO;
  }

  /**
   * Whether {@code t} can run here: its native library loaded (and io_uring not disabled or
   * blocked by seccomp; epoll additionally needs the field {@link EpollInterest} patches).
   */
  static boolean usable(ProxyServer.Transport t) {
    return switch (t) {
      case IO_URING -> IoUring.isAvailable();
      case EPOLL -> Epoll.isAvailable() && EpollInterest.available();
      case NIO -> true;
    };
  }

  /** Why {@code t} cannot run here, for the log line of a fallback; null when it can. */
  static String unavailabilityCause(ProxyServer.Transport t) {
    return switch (t) {
      case IO_URING -> IoUring.isAvailable() ? null : String.valueOf(IoUring.unavailabilityCause());
      case EPOLL -> !Epoll.isAvailable() ? String.valueOf(Epoll.unavailabilityCause())
          : EpollInterest.available() ? null : "Netty's epoll channel has no 'ops' field for the half-close workaround";
      case NIO -> null;
    };
  }

  static IoHandlerFactory ioHandler(ProxyServer.Transport t) {
    return switch (t) {
      case IO_URING -> IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setBufferRingConfig(
          IoUringBufferRingConfig.builder()
              .bufferGroupId(BUFFER_GROUP)
              .bufferRingSize(BUFFER_RING_SIZE)
              .batchSize(BUFFER_RING_SIZE / 4)
              .allocator(new IoUringAdaptiveBufferRingAllocator(PooledByteBufAllocator.DEFAULT))
              .build()));
      case EPOLL -> EpollIoHandler.newFactory();
      case NIO -> NioIoHandler.newFactory();
    };
  }

  /**
   * A listening socket of {@code family} (Netty's io_uring channel has no family constructor: its
   * sockets are dual-stack IPv6, IPv4 clients appear as IPv4 addresses all the same).
   */
  static ServerSocketChannel serverChannel(ProxyServer.Transport t, SocketProtocolFamily family) {
    return switch (t) {
      case IO_URING -> new IoUringServerSocketChannel();
      case EPOLL -> new EpollServerSocketChannel(family);
      case NIO -> new NioServerSocketChannel(SelectorProvider.provider(), family);
    };
  }

  /** An unconnected socket of {@code family} for the transport of {@code t} (dual-stack with io_uring, as above). */
  static SocketChannel socketChannel(ProxyServer.Transport t, SocketProtocolFamily family) {
    return switch (t) {
      case IO_URING -> new IoUringSocketChannel();
      case EPOLL -> new EpollSocketChannel(family);
      case NIO -> new NioSocketChannel(SelectorProvider.provider(), family);
    };
  }

  /**
   * Transport-specific settings of a proxied socket, before it is registered: an io_uring socket
   * receives into its event loop's buffer ring ({@link #BUFFER_GROUP}); others are left alone.
   */
  static void beforeRegister(Channel ch) {
    if (ch instanceof IoUringSocketChannel) {
      ch.config().setOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP);
    }
  }

  /** The transport a channel belongs to (a backend socket must be of its client's, to share its event loop). */
  static ProxyServer.Transport of(Channel ch) {
    if (ch instanceof IoUringSocketChannel) {
      return ProxyServer.Transport.IO_URING;
    }
    return ch instanceof EpollSocketChannel ? ProxyServer.Transport.EPOLL : ProxyServer.Transport.NIO;
  }
}
