package io.vigil.agents.balancer.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listens on the virtual service address and proxies every connection to a selected real server. */
public final class ProxyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

  /** Netty transport of the proxy's sockets. */
  public enum Transport {
    /**
     * Native epoll, the default where io_uring cannot run: fewer system calls per connection than
     * NIO. Netty 4.2.18's half-close bug is worked around by {@link EpollInterest}; where the native
     * library does not load, NIO is used (with a log line).
     */
    EPOLL,
    /**
     * Native io_uring, the default (Linux 5.14+ and not blocked by seccomp or {@code
     * kernel.io_uring_disabled}): less CPU per connection than epoll; where it cannot run, epoll,
     * then NIO (with a log line).
     */
    IO_URING,
    /** JDK NIO selector. */
    NIO
  }

  /**
   * @param threads event-loop threads (accepting and relaying share them)
   * @param transport socket transport; IO_URING falls back to EPOLL and EPOLL to NIO where unavailable
   * @param connectTimeout a backend connect still pending this long is given up; zero: never
   * @param idleTimeout a proxied connection with no bytes in either direction for this long is
   *     closed (IPVS's TCP established timeout is 900 s); zero disables it
   */
  public record Options(int threads, Duration connectTimeout, Transport transport, int backlog, Duration idleTimeout) {
    public static final Options DEFAULTS = new Options(
        Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(5), Transport.IO_URING, 4096, Duration.ofSeconds(900));
  }

  private final InetSocketAddress bind;
  private final BackendSelector selector;
  private final Options options;
  /** Every proxied socket, both sides: closed explicitly on stop (ending the event loops alone left some open). */
  private final ChannelGroup open = new DefaultChannelGroup("proxied", GlobalEventExecutor.INSTANCE);
  private EventLoopGroup group;
  private Channel serverChannel;

  public ProxyServer(InetSocketAddress bind, BackendSelector selector, Options options) {
    this.bind = bind;
    this.selector = selector;
    this.options = options;
  }

  /** The transport this proxy uses: the configured one, or its fallback where that cannot run here. */
  public Transport transport() {
    return Transports.effective(options.transport(), Transports::usable);
  }

  /** Binds and starts; returns the bound address (port 0 gets a free port). */
  public synchronized InetSocketAddress start() throws InterruptedException {
    Transport used = transport();
    for (Transport t = options.transport(); t != used; t = Transports.fallback(t)) {
      log.warn("proxy on {}: transport {} unavailable ({}), trying {}", bind, name(t), Transports.unavailabilityCause(t),
          name(Transports.fallback(t)));
    }
    // An IPv4 listener gets an IPv4 socket, so accepted sockets are IPv4 too (BackendConnector);
    // io_uring's channels are always dual-stack.
    SocketProtocolFamily family = BackendConnector.familyOf(bind);
    ChannelFactory<ServerSocketChannel> channel = () -> Transports.serverChannel(used, family);
    group = new MultiThreadIoEventLoopGroup(options.threads(), Transports.ioHandler(used));
    BackendConnector connector = BackendConnector.sameEventLoop(open);
    // TCP_NODELAY is not set here: Netty's socket configs enable it by default on Linux, and
    // setting it again costs a system call per socket.
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channelFactory(channel)
        .option(ChannelOption.SO_BACKLOG, options.backlog())
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .handler(new AcceptedChannels(group, open, selector, connector))
        .childHandler(AcceptedChannels.NOT_USED);
    try {
      serverChannel = b.bind(bind).sync().channel();
    } catch (InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot listen on " + bind + ": " + e.getMessage(), e);
    }
    // One sweep for all connections instead of timers per connection (IdleStateHandler's also
    // turned every write's void promise into a real one, to watch it complete; Netty's connect
    // timeout is a task scheduled and cancelled on every connection). A connect is given up
    // between the timeout and a quarter of it later.
    long shortest = Math.min(nanosOrNever(options.connectTimeout()), nanosOrNever(options.idleTimeout()));
    if (shortest != Long.MAX_VALUE) {
      long period = Math.clamp(TimeUnit.NANOSECONDS.toMillis(shortest) / 4, 10, 1_000);
      group.next().scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }
    InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
    log.info("proxy listening on {} ({} transport, {} threads)", bound, name(used), options.threads());
    return bound;
  }

  /**
   * On the listening channel, ahead of the bootstrap's acceptor: sets up and registers each
   * accepted channel itself (options, its {@link FrontendHandler}, read interest in its first
   * {@code epoll_ctl}) and does not pass it on. The bootstrap's way (a {@code ChannelInitializer}
   * added to every child pipeline, run at registration and removed again, and the child options
   * applied from a map) cost two pipeline changes per connection for one handler. The bootstrap's
   * acceptor still sees accept errors (it pauses accepting for a second on, e.g., EMFILE).
   */
  private static final class AcceptedChannels extends ChannelInboundHandlerAdapter {
    /** The bootstrap requires a child handler; accepted channels never reach its acceptor. */
    static final ChannelHandler NOT_USED = new NotUsed();

    private final EventLoopGroup group;
    private final ChannelGroup open;
    private final BackendSelector selector;
    private final BackendConnector connector;

    AcceptedChannels(EventLoopGroup group, ChannelGroup open, BackendSelector selector, BackendConnector connector) {
      this.group = group;
      this.open = open;
      this.selector = selector;
      this.connector = connector;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof SocketChannel child)) {
        ctx.fireChannelRead(msg);
        return;
      }
      ProxiedConnection.prepareSocket(child, open, new FrontendHandler(selector, connector));
      group.register(child).addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          log.warn("accepted connection from {} not registered: {}", child.remoteAddress(), f.cause().toString());
          child.unsafe().closeForcibly();
        }
      });
    }
  }

  @ChannelHandler.Sharable
  private static final class NotUsed extends ChannelInboundHandlerAdapter {
  }

  /** A transport as the configuration spells it. */
  static String name(Transport t) {
    return t.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the listening socket is bound and open (false before start and after close). */
  public synchronized boolean listening() {
    return serverChannel != null && serverChannel.isActive();
  }

  /** Closes the listening socket; proxied connections go on until they end or {@link #close()}. */
  public synchronized void stopAccepting() {
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /** A timeout in nanoseconds; zero (none) as never. */
  private static long nanosOrNever(Duration timeout) {
    return timeout.isZero() ? Long.MAX_VALUE : timeout.toNanos();
  }

  /** Closes idle connections (when an idle timeout is set) and gives up connects past the connect timeout. */
  private void sweep() {
    long idleNanos = nanosOrNever(options.idleTimeout());
    long connectNanos = nanosOrNever(options.connectTimeout());
    for (Channel ch : open) {
      FrontendHandler f = ch.pipeline().get(FrontendHandler.class);
      if (f == null) {
        continue;
      }
      if (f.looksStuckConnecting(connectNanos)) {
        ch.eventLoop().execute(() -> f.closeIfStuckConnecting(connectNanos));
      } else if (f.looksQuiet(idleNanos)) {
        ch.eventLoop().execute(() -> f.closeIfQuiet(ch, idleNanos));
      }
    }
  }

  /**
   * Closes the proxied connections that moved no bytes either way for {@code quiet} (the idle
   * timeout, and a graceful stop's idle keep-alive connections). The time of the last bytes is
   * read here as a hint only (another thread writes it); a connection that looks quiet is
   * checked again on its own event loop before it is closed.
   */
  public void closeQuietConnections(Duration quiet) {
    long quietNanos = quiet.toNanos();
    for (Channel ch : open) {
      FrontendHandler f = ch.pipeline().get(FrontendHandler.class);
      if (f != null && f.looksQuiet(quietNanos)) {
        ch.eventLoop().execute(() -> f.closeIfQuiet(ch, quietNanos));
      }
    }
  }

  /** Stops accepting and closes every connection. */
  @Override
  public synchronized void close() {
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    open.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
