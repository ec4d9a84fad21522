package io.vigil.agents.balancer.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Opens the backend connection for a client channel; a seam so handlers can be tested with EmbeddedChannel. */
public interface BackendConnector {

  /**
   * Receive buffers grow up to 256 KiB: with AUTO_READ off each read() is one socket read, so
   * bulk transfers need fewer event-loop turns; idle connections hold no buffer (pooled, returned after the write).
   */
  io.netty.channel.RecvByteBufAllocator RECEIVE_BUFFERS = new io.netty.channel.AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024);

  ChannelFuture connect(Channel inbound, InetSocketAddress address, ChannelHandler backendHandler);

  /**
   * The real connector: same event loop and channel type as the client's channel (no thread
   * hand-off), AUTO_READ off so reads follow writes, half-closure allowed.
   */
  static BackendConnector sameEventLoop(Duration connectTimeout) {
    return (inbound, address, handler) -> new Bootstrap()
        .group(inbound.eventLoop())
        .channel(inbound.getClass() == io.netty.channel.epoll.EpollSocketChannel.class
            ? io.netty.channel.epoll.EpollSocketChannel.class
            : io.netty.channel.socket.nio.NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOCATOR, io.netty.buffer.PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.RECVBUF_ALLOCATOR, RECEIVE_BUFFERS)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .handler(handler)
        .connect(address);
  }
}
