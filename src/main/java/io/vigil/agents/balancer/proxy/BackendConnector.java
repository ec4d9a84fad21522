package io.vigil.agents.balancer.proxy;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/** Opens the backend connection for a client channel; a seam so handlers can be tested with EmbeddedChannel. */
public interface BackendConnector {

  /**
   * Receive buffers grow up to 256 KiB, so bulk transfers need fewer reads and event-loop turns;
   * idle connections hold no buffer (pooled, returned after the write).
   */
  RecvByteBufAllocator RECEIVE_BUFFERS = new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024);

  ChannelFuture connect(Channel inbound, InetSocketAddress address, ChannelHandler backendHandler);

  /**
   * The real connector: a socket of the client channel's transport ({@link Transports#of}) on the same event loop (no
   * thread hand-off), read as soon as it is connected (with epoll the read interest is in its
   * first {@code epoll_ctl}, see {@link EpollInterest#readFromStart}), half-closure allowed. The channel is made here rather than by a Bootstrap per
   * connection: no options map, no resolver (the address is already resolved), and an IPv4
   * socket for an IPv4 server (the JDK and Netty default to dual-stack IPv6 sockets, which cost
   * a socket option and the v4-mapped path on every connection). Every socket joins {@code open},
   * which the server closes on stop. The connect timeout is not Netty's (a scheduled task per
   * connect, made and cancelled on every connection): {@link ProxyServer}'s sweep gives up
   * connects that take too long.
   */
  static BackendConnector sameEventLoop(ChannelGroup open) {
    return (inbound, address, handler) -> {
      SocketChannel ch = Transports.socketChannel(Transports.of(inbound), familyOf(address));
      ProxiedConnection.prepareSocket(ch, open, handler);
      ch.config().setConnectTimeoutMillis(0);
      ChannelFuture registered = inbound.eventLoop().register(ch);
      if (registered.cause() != null) {
        ch.unsafe().closeForcibly();
        return registered;
      }
      // On the event loop the registration is already done; connect then, as Bootstrap would.
      return registered.isDone()
          ? ch.connect(address)
          : chain(registered, ch, address);
    };
  }

  private static ChannelFuture chain(ChannelFuture registered, Channel ch, InetSocketAddress address) {
    var promise = ch.newPromise();
    registered.addListener((ChannelFutureListener) r -> {
      if (r.isSuccess()) {
        ch.connect(address, promise);
      } else {
        ch.unsafe().closeForcibly();
        promise.setFailure(r.cause());
      }
    });
    return promise;
  }

  /** IPv4 for an IPv4 address, else IPv6 (not the dual-stack IPv6 socket the JDK and Netty default to). */
  static SocketProtocolFamily familyOf(InetSocketAddress address) {
    return address.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
  }
}
