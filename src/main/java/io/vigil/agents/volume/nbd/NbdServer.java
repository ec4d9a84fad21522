package io.vigil.agents.volume.nbd;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Serves {@link NbdExports} on a unix socket and/or a TCP address (meant for 127.0.0.1) with epoll. */
public final class NbdServer implements AutoCloseable {
  private final List<Channel> listeners = new ArrayList<>();
  private final List<Path> socketFiles = new ArrayList<>();
  private final EventLoopGroup group;
  private final NbdExports exports;

  /** Creates a server on {@code group} (owned by the caller) for {@code exports}. */
  public NbdServer(EventLoopGroup group, NbdExports exports) {
    this.group = group;
    this.exports = exports;
  }

  /** Listens on a unix socket at {@code path} (mode 0660; a stale socket file is replaced). */
  public void bindUnix(Path path) throws InterruptedException {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("nbd: cannot remove stale socket " + path, e);
    }
    Channel ch = bootstrap(EpollServerDomainSocketChannel.class).bind(new DomainSocketAddress(path.toFile())).sync().channel();
    listeners.add(ch);
    socketFiles.add(path);
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
    } catch (IOException e) {
      throw new UncheckedIOException("nbd: cannot set permissions of " + path, e);
    }
  }

  /** Listens on a TCP address; returns the bound address (port 0 picks a free port). */
  public InetSocketAddress bindTcp(InetSocketAddress address) throws InterruptedException {
    Channel ch = bootstrap(EpollServerSocketChannel.class).bind(address).sync().channel();
    listeners.add(ch);
    return (InetSocketAddress) ch.localAddress();
  }

  private ServerBootstrap bootstrap(Class<? extends io.netty.channel.ServerChannel> type) {
    return new ServerBootstrap()
        .group(group)
        .channel(type)
        // Pooled: write requests of up to 32 MiB are accumulated in one buffer; pooling avoids a fresh, zeroed one each.
        .childOption(io.netty.channel.ChannelOption.ALLOCATOR, io.netty.buffer.PooledByteBufAllocator.DEFAULT)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new NbdServerHandler(exports));
          }
        });
  }

  @Override
  public void close() {
    for (Channel ch : listeners) {
      ch.close().syncUninterruptibly();
    }
    for (Path p : socketFiles) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // best effort: a stale socket is replaced on the next bind
      }
    }
  }
}
