package io.vigil.agents.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One direction of a proxied connection: what this side reads is written to the other side and
 * flushed once per read batch. Backpressure follows the other side's writability: when its
 * outbound buffer passes the high water mark this side stops reading, and reading resumes when
 * it drains below the low mark. Reading stays enabled otherwise, so the event loop does not add
 * and remove read interest around every read (two epoll_ctl calls per read before).
 */
abstract class RelayHandler extends ChannelInboundHandlerAdapter {

  /** The proxied connection, null before it exists (the client side before selection). */
  abstract ProxiedConnection connection();

  /** Whether this side is the client's. */
  abstract boolean clientSide();

  private Channel peer() {
    ProxiedConnection conn = connection();
    return conn == null ? null : clientSide() ? conn.outbound : conn.inbound;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ProxiedConnection conn = connection();
    conn.touch();
    if (msg instanceof ByteBuf buf) {
      int n = buf.readableBytes();
      if (clientSide()) {
        conn.backend.counters().addBytesIn(n);
      } else {
        conn.backend.counters().addBytesOut(n);
      }
    }
    Channel peer = peer();
    // A failed write surfaces as exceptionCaught on the peer, whose handler closes both.
    peer.write(msg, peer.voidPromise());
    // Stop within the read batch too, so a fast sender queues at most one buffer past the mark.
    if (!peer.isWritable()) flushOrPause(ctx, conn, peer);
  }

  /**
   * Flushes to {@code peer} and stops reading this side if that leaves it above the high water
   * mark. The order matters: if the flush drains the buffer, its writability event has already come
   * and gone, and a pause set after it would never be lifted. While the backend is still
   * connecting, what the client sent waits unflushed in the backend channel (a flush before the
   * connection would fail it) and the connect listener flushes it.
   */
  private static void flushOrPause(ChannelHandlerContext ctx, ProxiedConnection conn, Channel peer) {
    if (conn.state() != ProxiedConnection.State.CONNECTING) peer.flush();
    if (!peer.isWritable()) ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Channel peer = peer();
    if (peer != null) flushOrPause(ctx, connection(), peer);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Channel peer = peer();
    if (ctx.channel().isWritable() && peer != null && peer.isActive()) {
      peer.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }
}
