package io.vigil.agents.balancer.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The proxy handlers on EmbeddedChannels: relaying, backpressure, accounting, rejection. */
class ProxyHandlersTest {
  static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.7", 40000);
  static final InetSocketAddress VIP = new InetSocketAddress("192.0.2.10", 80);
  static final InetSocketAddress RS = new InetSocketAddress("10.0.0.1", 8080);

  /** An EmbeddedChannel with socket addresses, so the frontend can ask the selector. */
  static final class AddressedChannel extends EmbeddedChannel {
    AddressedChannel(io.netty.channel.ChannelHandler... handlers) {
      super(false, false, handlers);
      config().setAutoRead(false); // as the proxy's child channels
      try {
        register();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return CLIENT;
    }

    @Override
    protected SocketAddress localAddress0() {
      return VIP;
    }
  }

  /** Counts read() requests. */
  static final class ReadCounter extends ChannelOutboundHandlerAdapter {
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public void read(ChannelHandlerContext ctx) {
      reads.incrementAndGet();
      ctx.read();
    }
  }

  /** Holds backend writes until released: a slow real server. */
  static final class HeldWrites extends ChannelOutboundHandlerAdapter {
    final List<ChannelPromise> held = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ctx.write(msg);
      held.add(promise);
    }
  }

  final ConnectionCounters counters = new ConnectionCounters();
  final AtomicInteger closes = new AtomicInteger();
  final EmbeddedChannel backend = new EmbeddedChannel();
  final BackendConnector connector = (inbound, address, handler) -> {
    assertThat(address).isEqualTo(RS);
    backend.pipeline().addLast(handler);
    return backend.newSucceededFuture();
  };
  final BackendSelector selector = (client, local) ->
      Optional.of(new Backend("rs1", RS, counters, closes::incrementAndGet));

  @Test
  void relaysBothWaysAndCountsBytes() {
    ReadCounter clientReads = new ReadCounter();
    EmbeddedChannel client = new AddressedChannel(clientReads, new FrontendHandler(selector, connector));
    assertThat(counters.snapshot().active()).isEqualTo(1);
    assertThat(clientReads.reads.get()).as("the client is read once the backend accepted").isPositive();

    client.writeInbound(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII));
    ByteBuf toServer = backend.readOutbound();
    assertThat(toServer.toString(StandardCharsets.US_ASCII)).isEqualTo("ping");
    toServer.release();

    backend.writeInbound(Unpooled.copiedBuffer("pong!", StandardCharsets.US_ASCII));
    ByteBuf toClient = client.readOutbound();
    assertThat(toClient.toString(StandardCharsets.US_ASCII)).isEqualTo("pong!");
    toClient.release();

    var snap = counters.snapshot();
    assertThat(snap.bytesIn()).isEqualTo(4);
    assertThat(snap.bytesOut()).isEqualTo(5);
    assertThat(snap.connections()).isEqualTo(1);
  }

  @Test
  void aBackendThatCannotKeepUpPausesTheClientUntilItDrains() {
    EmbeddedChannel client = new AddressedChannel(new FrontendHandler(selector, connector));
    assertThat(client.config().isAutoRead()).as("reading once the backend accepted").isTrue();

    // as when the backend's outbound buffer passes its high water mark
    backend.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    backend.runPendingTasks();
    client.writeInbound(Unpooled.copiedBuffer("chunk", StandardCharsets.US_ASCII));
    assertThat(client.config().isAutoRead()).as("no reading while the backend is full").isFalse();

    backend.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    backend.runPendingTasks();
    assertThat(client.config().isAutoRead()).as("reading again once it drained").isTrue();
    ((ByteBuf) backend.readOutbound()).release();
  }

  @Test
  void aWriteThatPassesTheHighWaterMarkButDrainsAtOnceDoesNotPauseTheClient() {
    EmbeddedChannel client = new AddressedChannel(new FrontendHandler(selector, connector));
    backend.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(8, 16));
    client.writeInbound(Unpooled.copiedBuffer("more than sixteen bytes", StandardCharsets.US_ASCII));
    assertThat(client.config().isAutoRead()).as("the flush drained it: nothing would resume a pause").isTrue();
    ((ByteBuf) backend.readOutbound()).release();
  }

  @Test
  void aClientThatCannotKeepUpPausesTheBackendUntilItDrains() {
    EmbeddedChannel client = new AddressedChannel(new FrontendHandler(selector, connector));
    client.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    client.runPendingTasks();
    backend.writeInbound(Unpooled.copiedBuffer("response", StandardCharsets.US_ASCII));
    assertThat(backend.config().isAutoRead()).isFalse();

    client.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    client.runPendingTasks();
    assertThat(backend.config().isAutoRead()).isTrue();
    ((ByteBuf) client.readOutbound()).release();
  }

  @Test
  void halfCloseMovesTheConnectionToInactiveAndCloseReleasesIt() {
    HeldWrites slow = new HeldWrites();
    backend.pipeline().addFirst(slow);
    EmbeddedChannel client = new AddressedChannel(new FrontendHandler(selector, connector));
    client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    assertThat(counters.active()).isZero();
    assertThat(counters.inactive()).isEqualTo(1);

    // The FIN is passed on once pending writes are flushed; an EmbeddedChannel cannot
    // half-close, so the proxy closes it instead, and the client follows.
    slow.held.forEach(ChannelPromise::setSuccess);
    backend.runPendingTasks();
    client.runPendingTasks();
    assertThat(counters.inactive()).isZero();
    assertThat(client.isOpen()).as("client closed with the backend").isFalse();
    assertThat(closes.get()).isEqualTo(1);
  }

  @Test
  void aClientFinWhileConnectingIsPassedOnOnceConnected() {
    io.netty.channel.ChannelPromise pending = backend.newPromise();
    BackendConnector slowConnect = (inbound, address, handler) -> {
      backend.pipeline().addLast(handler);
      return pending;
    };
    EmbeddedChannel client = new AddressedChannel(new FrontendHandler(selector, slowConnect));
    client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    assertThat(backend.isOpen()).isTrue();
    assertThat(counters.inactive()).as("still connecting").isEqualTo(1);

    pending.setSuccess();
    backend.runPendingTasks();
    // an EmbeddedChannel cannot half-close, so the passed-on FIN closes it
    assertThat(backend.isOpen()).isFalse();
    assertThat(counters.active() + counters.inactive()).isZero();
    assertThat(closes.get()).isEqualTo(1);
  }

  @Test
  void bytesTheClientSendsWhileConnectingGoOutOnceTheBackendAccepted() {
    io.netty.channel.ChannelPromise pending = backend.newPromise();
    BackendConnector slowConnect = (inbound, address, handler) -> {
      backend.pipeline().addLast(handler);
      return pending;
    };
    EmbeddedChannel client = new AddressedChannel(new FrontendHandler(selector, slowConnect));
    client.writeInbound(Unpooled.copiedBuffer("early", StandardCharsets.US_ASCII));
    assertThat((Object) backend.readOutbound()).as("nothing flushed before the connection").isNull();

    pending.setSuccess();
    backend.runPendingTasks();
    ByteBuf toServer = backend.readOutbound();
    assertThat(toServer.toString(StandardCharsets.US_ASCII)).isEqualTo("early");
    toServer.release();
    assertThat(client.config().isAutoRead()).isTrue();
    assertThat(counters.snapshot().bytesIn()).isEqualTo(5);
  }

  @Test
  void clientGoneClosesTheBackend() {
    EmbeddedChannel client = new AddressedChannel(new FrontendHandler(selector, connector));
    client.close();
    backend.runPendingTasks();
    assertThat(backend.isOpen()).isFalse();
    assertThat(counters.active()).isZero();
    assertThat(closes.get()).isEqualTo(1);
  }

  @Test
  void noRealServerClosesTheClient() {
    EmbeddedChannel client = new AddressedChannel(new FrontendHandler((c, l) -> Optional.empty(), connector));
    assertThat(client.isOpen()).isFalse();
    assertThat(counters.snapshot().connections()).isZero();
  }

  @Test
  void failedBackendConnectClosesTheClientAndCountsTheFailure() {
    BackendConnector failing = (inbound, address, handler) ->
        backend.newFailedFuture(new java.net.ConnectException("connection refused"));
    EmbeddedChannel client = new AddressedChannel(new FrontendHandler(selector, failing));
    assertThat(client.isOpen()).isFalse();
    var snap = counters.snapshot();
    assertThat(snap.failedConnects()).isEqualTo(1);
    assertThat(snap.inactive()).isZero();
    assertThat(closes.get()).isEqualTo(1);
  }

  @Test
  void nettyEnablesTcpNoDelayByDefaultSoTheProxyNeedNotSetIt() throws Exception {
    var ch = new io.netty.channel.socket.nio.NioSocketChannel();
    try {
      assertThat(ch.config().isTcpNoDelay()).isTrue();
    } finally {
      ch.unsafe().closeForcibly();
    }
  }

  @Test
  void aThrowingSelectorRejectsTheClientWithoutCrashing() {
    EmbeddedChannel client = new AddressedChannel(new FrontendHandler((c, l) -> {
      throw new IllegalStateException("boom");
    }, connector));
    assertThat(client.isOpen()).isFalse();
  }
}
