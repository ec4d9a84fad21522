package io.vigil.agents.volume.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.vigil.agents.volume.VolumeEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves administrative requests for one volume on a unix socket with mode 0600; a client whose
 * uid is neither root nor the server's own is refused (checked with SO_PEERCRED).
 *
 * <p>Requests: see {@link VolumeEngine#request} ({@code status}, {@code primary [switch]}, {@code
 * secondary}, {@code connect}, {@code disconnect}, {@code verify}, {@code resolve NODE}, {@code resize BYTES}).
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
  private final Channel channel;
  private final Path path;

  private ControlServer(Channel channel, Path path) {
    this.channel = channel;
    this.path = path;
  }

  public static ControlServer start(EventLoopGroup group, Path path, VolumeEngine engine) throws IOException, InterruptedException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    Files.deleteIfExists(path);
    int ownUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    Channel ch = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
        .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
          @Override
          protected void initChannel(EpollDomainSocketChannel c) throws Exception {
            PeerCredentials cred = c.peerCredentials();
            if (cred.uid() != 0 && cred.uid() != ownUid) {
              log.warn("control socket {}: refusing uid {} (only root or uid {})", path, cred.uid(), ownUid);
              c.close();
              return;
            }
            c.pipeline().addLast(new LineBasedFrameDecoder(4096), new StringDecoder(StandardCharsets.UTF_8),
                new StringEncoder(StandardCharsets.UTF_8), new Handler(engine));
          }
        })
        .bind(new DomainSocketAddress(path.toFile())).sync().channel();
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    return new ControlServer(ch, path);
  }

  private static final class Handler extends SimpleChannelInboundHandler<String> {
    private final VolumeEngine engine;

    Handler(VolumeEngine engine) {
      this.engine = engine;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
      CompletableFuture<String> result = engine.request(line);
      result.whenComplete((text, failure) -> ctx.executor().execute(() -> {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String reply = failure == null ? "ok\n" + text + "\n" : "error " + cause.getMessage() + "\n";
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
      }));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public void close() throws IOException {
    channel.close().syncUninterruptibly();
    Files.deleteIfExists(path);
  }
}
