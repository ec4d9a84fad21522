package io.vigil.agents.balancer.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client side of a proxied connection: asks the selector for a real server, opens the backend
 * connection, then relays client bytes ({@link RelayHandler}: a backend that cannot keep up
 * stops the reading from the client). The client is read from the start: what it sends while the
 * backend connects waits in the backend channel, unflushed (up to the high water mark, then the
 * client is paused), and goes out as soon as the backend accepted. Turning reading on only then
 * cost an {@code epoll_ctl} per connection and an event-loop turn before the request went out.
 */
final class FrontendHandler extends RelayHandler {
  private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);
  private final BackendSelector selector;
  private final BackendConnector connector;
  private ProxiedConnection conn;

  FrontendHandler(BackendSelector selector, BackendConnector connector) {
    this.selector = selector;
    this.connector = connector;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel inbound = ctx.channel();
    Optional<Backend> chosen;
    try {
      chosen = selector.select((InetSocketAddress) inbound.remoteAddress(), (InetSocketAddress) inbound.localAddress());
    } catch (RuntimeException e) {
      log.warn("backend selection failed for {}: {}", inbound.remoteAddress(), e.toString());
      chosen = Optional.empty();
    }
    if (chosen.isEmpty()) {
      inbound.close();
      return;
    }
    conn = new ProxiedConnection(inbound, chosen.get());
    ChannelFuture f = connector.connect(inbound, chosen.get().address(), new BackendHandler(conn));
    conn.outbound = f.channel();
    f.addListener((ChannelFutureListener) future -> {
      if (!future.isSuccess()) {
        conn.connectFailed();
        inbound.close();
      } else if (conn.connected()) {
        future.channel().flush(); // what the client sent while connecting
        inbound.config().setAutoRead(true); // if that filled the backend channel and paused the client
      } else {
        future.channel().close();
      }
    });
  }

  /** Closes the client (and with it the backend) if no bytes moved for {@code quietNanos}; on the event loop. */
  void closeIfQuiet(Channel client, long quietNanos) {
    if (looksQuiet(quietNanos)) {
      log.debug("closing connection from {}: no bytes either way for {} ms", client.remoteAddress(), quietNanos / 1_000_000);
      client.close();
    }
  }

  /**
   * Gives up the backend connect if it is still pending {@code timeoutNanos} after it began, on
   * the event loop: closing the backend channel fails its connect, which counts the failure and
   * closes the client (the proxy's sweep does this instead of a timer per connection).
   */
  void closeIfStuckConnecting(long timeoutNanos) {
    ProxiedConnection c = conn;
    if (c != null && c.connectingLongerThan(timeoutNanos) && c.outbound != null) {
      log.debug("real server {}: no connection after {} ms, giving up", c.backend.serverId(), timeoutNanos / 1_000_000);
      c.outbound.close();
    }
  }

  /** Whether the backend connect looks pending for {@code timeoutNanos}; from another thread a hint only. */
  boolean looksStuckConnecting(long timeoutNanos) {
    ProxiedConnection c = conn;
    return c != null && c.connectingLongerThan(timeoutNanos);
  }

  /** Whether no bytes moved for {@code quietNanos}; from another thread a hint only (the time may be stale). */
  boolean looksQuiet(long quietNanos) {
    ProxiedConnection c = conn;
    return c == null || c.quietFor(quietNanos);
  }

  @Override
  ProxiedConnection connection() {
    return conn;
  }

  @Override
  boolean clientSide() {
    return true;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      EpollInterest.inputShutdown(ctx.channel());
      if (conn != null) {
        conn.inputShutdown(true);
      }
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (conn != null) {
      conn.closed();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and garbage are normal on the Internet: close this side, never propagate.
    log.debug("client {} error: {}", ctx.channel().remoteAddress(), cause.toString());
    ProxiedConnection.closeOnFlush(ctx.channel());
  }
}
