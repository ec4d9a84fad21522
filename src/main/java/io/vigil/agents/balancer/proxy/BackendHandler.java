package io.vigil.agents.balancer.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Real-server side of a proxied connection: relays bytes to the client ({@link RelayHandler}). */
final class BackendHandler extends RelayHandler {
  private static final Logger log = LoggerFactory.getLogger(BackendHandler.class);
  private final ProxiedConnection conn;

  BackendHandler(ProxiedConnection conn) {
    this.conn = conn;
  }

  @Override
  ProxiedConnection connection() {
    return conn;
  }

  @Override
  boolean clientSide() {
    return false;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      EpollInterest.inputShutdown(ctx.channel());
      conn.inputShutdown(false);
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    conn.closed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("real server {} error: {}", conn.backend.serverId(), cause.toString());
    ProxiedConnection.closeOnFlush(ctx.channel());
  }
}
