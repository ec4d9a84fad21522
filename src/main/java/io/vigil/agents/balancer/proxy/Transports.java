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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.function.Predicate;

/**
 * The Netty classes behind each {@link ProxyServer.Transport}, whether it can run on this machine,
 * and which one a proxy gets when the requested one cannot (io_uring, then epoll, then NIO).
 */
final class Transports {
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
    return unavailabilityCause(t) == null;
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

  /**
   * The event loops' I/O handler. io_uring runs with Netty's defaults: a socket asks for POLLIN first
   * and gets a receive buffer only once readable (an idle connection holds none). A buffer ring per
   * event loop (one multishot receive per socket) was tried: 12 instead of 19 ring submissions per
   * proxied connection, but no measurable CPU saved and 50 MiB more RSS (docs/balancer.md).
   */
  static IoHandlerFactory ioHandler(ProxyServer.Transport t) {
    return switch (t) {
      case IO_URING -> IoUringIoHandler.newFactory();
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

  /** The transport a channel belongs to (a backend socket must be of its client's, to share its event loop). */
  static ProxyServer.Transport of(Channel ch) {
    if (ch instanceof IoUringSocketChannel) {
      return ProxyServer.Transport.IO_URING;
    }
    return ch instanceof EpollSocketChannel ? ProxyServer.Transport.EPOLL : ProxyServer.Transport.NIO;
  }
}
