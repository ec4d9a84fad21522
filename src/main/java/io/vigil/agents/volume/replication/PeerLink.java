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
        // An accepted connection is secured even while this node is StandAlone: it may carry an
        // administrative request from the peer node (connect, resolve, ...); a Hello is refused then.
        if (closed || (client && !enabled)) {
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
    private boolean helloRequested;
    /** This connection carries one administrative request instead of a session. */
    private boolean admin;

    SessionHandler(boolean client) {
      this.client = client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      // A peer that never completes the handshake must not hold the link forever.
      ctx.executor().schedule(() -> {
        if (!established && !admin && ctx.channel().isActive()) {
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
        } else if (idle.state() == IdleState.WRITER_IDLE && (established || admin)) {
          ctx.writeAndFlush(new PeerMessage.Ping(), ctx.voidPromise());
        }
        return;
      }
      if (evt == SecureReady.INSTANCE && !ready) {
        ready = true;
        channel = ctx.channel();
        if (enabled) sendHello(ctx); // a StandAlone node answers only what the peer asks first
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    private void sendHello(ChannelHandlerContext ctx) {
      if (helloRequested) return; // the hello is built on the engine thread; only once per connection
      helloRequested = true;
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
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PeerMessage msg) {
      if (established) {
        listener.message(this, msg);
        return;
      }
      if (admin) return; // the asking side's keep-alive Pings while its request runs
      if (msg instanceof PeerMessage.Admin a && !client && received == null) {
        admin = true;
        log.info("volume '{}': administrative request from peer {}: {}", volume, ctx.channel().remoteAddress(), a.request());
        listener.admin(a.request()).whenComplete((text, failure) -> ctx.executor().execute(() -> {
          Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
          PeerMessage.AdminReply reply = failure == null ? new PeerMessage.AdminReply(true, text)
              : new PeerMessage.AdminReply(false, String.valueOf(cause.getMessage()));
          ctx.writeAndFlush(reply).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }));
        return;
      }
      if (msg instanceof PeerMessage.Hello && !enabled) {
        log.debug("volume '{}': refusing a session from {}: this node is StandAlone (run 'vigil volume connect')", volume,
            ctx.channel().remoteAddress());
        ctx.close();
        return;
      }
      if (!(msg instanceof PeerMessage.Hello hello) || received != null) {
        log.warn("volume '{}': peer {} sent {} instead of one hello; closing", volume, ctx.channel().remoteAddress(),
            msg.getClass().getSimpleName());
        ctx.close();
        return;
      }
      received = hello;
      sendHello(ctx); // no-op unless this node was StandAlone when the connection was secured
      maybeEstablish(ctx);
    }

    /** Establishes the session once both hellos are known (either may come first). */
    private void maybeEstablish(ChannelHandlerContext ctx) {
      if (established || sent == null || received == null || !ctx.channel().isActive()) return;
      if (!enabled) {
        ctx.close(); // disabled during the handshake
        return;
      }
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
      log.warn("volume '{}': peer link {}: {}", volume, ctx.channel().remoteAddress(), c.getMessage() == null ? c.toString() : c.getMessage());
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

  /**
   * Sends one administrative request to the peer node on a connection of its own (secured like a
   * session, so only a holder of the volume's key or certificate can ask), and completes with the
   * peer's reply text; fails with the peer's error message, or if the peer cannot be reached or
   * does not answer within {@code timeout}. Works while either node is StandAlone.
   */
  public java.util.concurrent.CompletableFuture<String> ask(String request, Duration timeout) {
    if (closed) {
      return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("volume '" + volume + "': peer link is closed"));
    }
    return ask(group, volume, peer, security, request, timeout);
  }

  /**
   * As {@link #ask(String, Duration)}, without a link of this node's own: for a node that has no copy
   * yet and asks the peer what its copy is before making one ({@code FirstStart}).
   */
  public static java.util.concurrent.CompletableFuture<String> ask(EventLoopGroup group, String volume, InetSocketAddress peer,
      LinkSecurity security, String request, Duration timeout) {
    java.util.concurrent.CompletableFuture<String> result = new java.util.concurrent.CompletableFuture<>();
    new Bootstrap().group(group).channel(EpollSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline()
                .addLast("framing-in", new LengthFieldBasedFrameDecoder(PeerCodec.MAX_FRAME + 64, 0, 4, 0, 4))
                .addLast("framing-out", new LengthFieldPrepender(4))
                .addLast("codec", new MessageCodec(byte[]::new))
                .addLast("idle", new IdleStateHandler(DEAD_AFTER.toMillis(), PING_EVERY.toMillis(), 0, TimeUnit.MILLISECONDS))
                .addLast("admin", new AdminClient(volume, peer, request, result));
            security.install(ch.pipeline(), volume, true);
          }
        })
        .connect(peer)
        .addListener((io.netty.channel.ChannelFuture f) -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(new java.io.IOException("volume '" + volume + "': cannot reach the peer node at " + peer + ": "
                + (f.cause() == null ? "connect failed" : f.cause().getMessage())));
            return;
          }
          var timer = f.channel().eventLoop().schedule(() -> {
            result.completeExceptionally(new java.util.concurrent.TimeoutException("volume '" + volume + "': the peer node at " + peer
                + " did not answer '" + request + "' within " + timeout.toSeconds() + " s"));
          }, timeout.toMillis(), TimeUnit.MILLISECONDS);
          result.whenComplete((r, e) -> {
            timer.cancel(false);
            f.channel().close();
          });
        });
    return result;
  }

  /** The client end of {@link #ask}: sends the request once the link is secure, waits for the one reply. */
  private static final class AdminClient extends SimpleChannelInboundHandler<PeerMessage> {
    private final String volume;
    private final InetSocketAddress peer;
    private final String request;
    private final java.util.concurrent.CompletableFuture<String> result;

    AdminClient(String volume, InetSocketAddress peer, String request, java.util.concurrent.CompletableFuture<String> result) {
      this.volume = volume;
      this.peer = peer;
      this.request = request;
      this.result = result;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == SecureReady.INSTANCE) {
        ctx.writeAndFlush(new PeerMessage.Admin(request));
      } else if (evt instanceof IdleStateEvent idle) {
        if (idle.state() == IdleState.WRITER_IDLE) ctx.writeAndFlush(new PeerMessage.Ping(), ctx.voidPromise());
        else ctx.close();
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PeerMessage msg) {
      if (msg instanceof PeerMessage.AdminReply r) {
        if (r.ok()) result.complete(r.text());
        else result.completeExceptionally(new IllegalStateException(r.text()));
        ctx.close();
      } // the peer's Hello (if it is connecting) and Pings are not for us
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.completeExceptionally(new java.io.IOException("volume '" + volume + "': the peer node at " + peer
          + " closed the connection without answering '" + request + "' (wrong key or certificate, or it is shutting down)"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null ? cause.getCause() : cause;
      result.completeExceptionally(new java.io.IOException("volume '" + volume + "': asking the peer node at " + peer + ": " + c.getMessage(), c));
      ctx.close();
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
