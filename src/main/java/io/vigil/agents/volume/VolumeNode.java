package io.vigil.agents.volume;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.vigil.agents.volume.control.ControlServer;
import io.vigil.agents.volume.nbd.NbdServer;
import io.vigil.agents.volume.replication.LinkSecurity;
import io.vigil.agents.volume.replication.PeerLink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One volume served by one process: the engine, its peer link and its NBD export, wired together.
 * The peer link starts enabled (Connecting); the NBD socket serves only while the node is Primary.
 */
public final class VolumeNode implements AutoCloseable {
  private final EventLoopGroup group;
  private final EventLoopGroup linkGroup;
  private final VolumeEngine engine;
  private final PeerLink link;
  private final NbdServer nbd;
  private final InetSocketAddress boundPeerPort;
  private ControlServer control;

  /** Where and how a node serves its volume. */
  public record Endpoints(InetSocketAddress listen, InetSocketAddress peer, LinkSecurity security, Path nbdSocket,
      InetSocketAddress nbdTcp, Path controlSocket, Duration retry) {}

  private VolumeNode(EventLoopGroup group, EventLoopGroup linkGroup, VolumeEngine engine, PeerLink link, NbdServer nbd,
      InetSocketAddress bound) {
    this.group = group;
    this.linkGroup = linkGroup;
    this.engine = engine;
    this.link = link;
    this.nbd = nbd;
    this.boundPeerPort = bound;
  }

  /** Opens the volume and starts serving. */
  public static VolumeNode start(VolumeSettings settings, Endpoints ep, Clock clock) throws IOException, InterruptedException {
    return start(settings, ep, clock, PeerFencer.NONE, null);
  }

  /** As {@link #start(VolumeSettings, Endpoints, Clock)}, fencing the peer {@code peerNode} through {@code fencer} (see {@link PeerFencing}). */
  public static VolumeNode start(VolumeSettings settings, Endpoints ep, Clock clock, PeerFencer fencer, String peerNode)
      throws IOException, InterruptedException {
    // Two threads per volume process. One for NBD, control and the engine's disk I/O (blocking pwrite on
    // it is the nbdkit model). One for the peer link: sealing/opening AES-GCM records, framing and the
    // socket copies run beside the disk writes instead of after them. Measured with perf under
    // sequential 1 MiB writes, the secondary's single thread was the bottleneck (it decrypted, copied
    // and wrote every block in turn). Order is kept: the engine thread sends in sequence order and
    // Netty keeps the order of writes submitted from one thread; received messages reach the engine
    // thread in arrival order through its queue.
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    EventLoopGroup linkGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    VolumeEngine engine = null;
    PeerLink link = null;
    NbdServer nbd = null;
    try {
      engine = VolumeEngine.open(settings, clock, System::nanoTime, group.next());
      engine.useFencer(fencer, peerNode);
      link = new PeerLink(linkGroup, settings.name(), ep.listen(), ep.peer(), ep.security(), engine, ep.retry());
      InetSocketAddress bound = link.start();
      PeerLink l = link;
      engine.attach(new LinkControl() {
        @Override public void enable() { l.enable(); }
        @Override public void disable(String why) { l.disable(why); }
        @Override public java.util.concurrent.CompletableFuture<String> ask(String request, Duration timeout) {
          return l.ask(request, timeout);
        }
      });
      nbd = new NbdServer(group, engine.exports());
      if (ep.nbdSocket() != null) nbd.bindUnix(ep.nbdSocket());
      if (ep.nbdTcp() != null) nbd.bindTcp(ep.nbdTcp());
      VolumeNode node = new VolumeNode(group, linkGroup, engine, link, nbd, bound);
      if (ep.controlSocket() != null) node.control = ControlServer.start(group, ep.controlSocket(), engine);
      engine.connect().join();
      return node;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (nbd != null) nbd.close();
      if (link != null) link.close();
      if (engine != null) engine.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      linkGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  public VolumeEngine engine() {
    return engine;
  }

  public InetSocketAddress peerPort() {
    return boundPeerPort;
  }

  @Override
  public void close() {
    if (control != null) {
      try {
        control.close();
      } catch (IOException e) {
        // the socket file is replaced on the next start
      }
    }
    nbd.close();
    link.close();
    engine.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    linkGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
