package io.vigil.agents.volume.replication;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP link to the one peer of a volume (one port per volume). Both nodes listen; only the node
 * whose listen address sorts lower dials, so there is never a pair of crossing connections. A new
 * accepted connection replaces an old one (the peer restarted). The dialer retries every
 * {@code retry} while the link is enabled.
 */
public final class PeerLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
  /** A Ping goes out after this much silence from us; a peer silent for {@link #DEAD_AFTER} is dropped. */
  private static final Duration PING_EVERY = Duration.ofSeconds(2);
  private static final Duration DEAD_AFTER = Duration.ofSeconds(10);

  private final EventLoopGroup group;
  private final String volume;
  private final InetSocketAddress listen;
  private final InetSocketAddress peer;
  private final LinkSecurity security;
  private final PeerListener listener;
  private final Duration retry;
  private final boolean dials;
  private Channel server;
  private volatile boolean enabled;
  private volatile boolean closed;
  private volatile Channel current;

  public PeerLink(EventLoopGroup group, String volume, InetSocketAddress listen, InetSocketAddress peer,
      LinkSecurity security, PeerListener listener, Duration retry) {
    this.group = group;
    this.volume = volume;
    this.listen = listen;
    this.peer = peer;
    this.security = security;
    this.listener = listener;
    this.retry = retry;
    this.dials = key(listen).compareTo(key(peer)) < 0;
  }

  private static String key(InetSocketAddress a) {
    return a.getHostString() + ":" + String.format("%05d", a.getPort());
  }

  /** Starts listening; returns the bound address. */
  public InetSocketAddress start() throws InterruptedException {
    server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, io.netty.buffer.PooledByteBufAllocator.DEFAULT)
        .childHandler(initializer(false))
        .bind(listen).sync().channel();
    return (InetSocketAddress) server.localAddress();
  }

  /** Allows sessions (and dials, on the dialing side). */
  public void enable() {
    enabled = true;
    if (dials) dial();
  }

  /** Ends the current session and accepts or dials no new one until {@link #enable}. */
  public void disable(String why) {
    enabled = false;
    Channel c = current;
    if (c != null) {
      log.info("volume '{}': disconnecting from {}: {}", volume, c.remoteAddress(), why);
      c.close();
    }
  }

  public boolean enabled() {
    return enabled;
  }

  private void dial() {
    if (!enabled || closed || current != null) return;
    new Bootstrap().group(group).channel(EpollSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        // Pooled: frames are ~1 MiB; the default adaptive allocator does not pool that size (a fresh, zeroed buffer each).
        .option(ChannelOption.ALLOCATOR, io.netty.buffer.PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1000, retry.toMillis()))
        .handler(initializer(true))
        .connect(peer)
        .addListener(f -> {
          if (!f.isSuccess()) scheduleDial();
        });
  }

  private void scheduleDial() {
    if (dials && enabled && !closed) group.schedule(this::dial, retry.toMillis(), TimeUnit.MILLISECONDS);
  }

  private ChannelInitializer<Channel> initializer(boolean client) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        if (!enabled || closed) {
          ch.close();
          return;
        }
        LengthFieldBasedFrameDecoder framing = new LengthFieldBasedFrameDecoder(PeerCodec.MAX_FRAME + 64, 0, 4, 0, 4);
        // A 1 MiB frame arrives in ~64 KiB reads; composing them instead of merging spares a copy of
        // every replicated byte (and the re-copies as the merged buffer grows); the next handler
        // copies each frame out once anyway.
        framing.setCumulator(io.netty.handler.codec.ByteToMessageDecoder.COMPOSITE_CUMULATOR);
        ch.pipeline()
            .addLast("framing-in", framing)
            .addLast("framing-out", new LengthFieldPrepender(4))
            .addLast("codec", new MessageCodec(listener.blockArrays()))
            .addLast("idle", new IdleStateHandler(DEAD_AFTER.toMillis(), PING_EVERY.toMillis(), 0, TimeUnit.MILLISECONDS))
            .addLast("session", new SessionHandler(client));
        security.install(ch.pipeline(), volume, client);
      }
    };
  }

  private static final class MessageCodec extends MessageToMessageCodec<ByteBuf, PeerMessage> {
    private final java.util.function.IntFunction<byte[]> arrays;

    MessageCodec(java.util.function.IntFunction<byte[]> arrays) {
      this.arrays = arrays;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, PeerMessage msg, List<Object> out) {
      out.add(PeerCodec.encode(msg, ctx.alloc()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
      out.add(PeerCodec.decode(msg, arrays));
    }
  }

  private final class SessionHandler extends SimpleChannelInboundHandler<PeerMessage> implements PeerSession {
    private final boolean client;
    private Channel channel;
    private boolean ready;
    private PeerMessage.Hello sent;
    private PeerMessage.Hello received;
    private boolean established;

    SessionHandler(boolean client) {
      this.client = client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      // A peer that never completes the handshake must not hold the link forever.
      ctx.executor().schedule(() -> {
        if (!established && ctx.channel().isActive()) {
          log.warn("volume '{}': no hello from {} within {}; closing", volume, ctx.channel().remoteAddress(), HANDSHAKE_TIMEOUT);
          ctx.close();
        }
      }, HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent idle) {
        if (idle.state() == IdleState.READER_IDLE) {
          log.warn("volume '{}': nothing from peer {} for {}; dropping the link", volume, ctx.channel().remoteAddress(), DEAD_AFTER);
          ctx.close();
        } else if (idle.state() == IdleState.WRITER_IDLE && established) {
          ctx.writeAndFlush(new PeerMessage.Ping(), ctx.voidPromise());
        }
        return;
      }
      if (evt == SecureReady.INSTANCE && !ready) {
        ready = true;
        channel = ctx.channel();

        listener.hello().whenComplete((hello, failure) -> ctx.executor().execute(() -> {
          if (failure != null) {
            log.warn("volume '{}': cannot build hello: {}", volume, failure.toString());
            ctx.close();
            return;
          }
          sent = hello;
          ctx.writeAndFlush(hello);
          maybeEstablish(ctx);
        }));
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PeerMessage msg) {
      if (established) {
        listener.message(this, msg);
        return;
      }
      if (!(msg instanceof PeerMessage.Hello hello) || received != null) {
        log.warn("volume '{}': peer {} sent {} instead of one hello; closing", volume, ctx.channel().remoteAddress(),
            msg.getClass().getSimpleName());
        ctx.close();
        return;
      }
      received = hello;
      maybeEstablish(ctx);
    }

    /** Establishes the session once both hellos are known (either may come first). */
    private void maybeEstablish(ChannelHandlerContext ctx) {
      if (established || sent == null || received == null || !ctx.channel().isActive()) return;
      // Only an authenticated peer gets here (its hello decrypted), so it may replace an older session.
      Channel old = current;
      if (old != null && old != ctx.channel()) {
        log.info("volume '{}': new session with {} replaces {}", volume, ctx.channel().remoteAddress(), old.remoteAddress());
        old.close();
      }
      current = ctx.channel();
      established = true;
      log.info("volume '{}': connected to peer {} ({}) as node '{}'", volume, ctx.channel().remoteAddress(),
          client ? "dialed" : "accepted", received.node());
      listener.connected(this, sent, received);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (current == ctx.channel()) current = null;
      if (established) listener.disconnected(this, "connection closed");
      if (client) scheduleDial();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null ? cause.getCause() : cause;
      log.warn("volume '{}': peer link {}: {}", volume, ctx.channel().remoteAddress(), c.getMessage());
      ctx.close();
    }

    @Override
    public void send(PeerMessage m) {
      channel.writeAndFlush(m, channel.voidPromise());
    }

    @Override
    public void close(String why) {
      log.info("volume '{}': closing link to {}: {}", volume, channel.remoteAddress(), why);
      channel.close();
    }

    @Override
    public String remote() {
      return String.valueOf(channel.remoteAddress());
    }
  }

  @Override
  public void close() {
    closed = true;
    enabled = false;
    Channel c = current;
    if (c != null) c.close().syncUninterruptibly();
    if (server != null) server.close().syncUninterruptibly();
  }
}
