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
  private final VolumeEngine engine;
  private final PeerLink link;
  private final NbdServer nbd;
  private final InetSocketAddress boundPeerPort;
  private ControlServer control;

  /** Where and how a node serves its volume. */
  public record Endpoints(InetSocketAddress listen, InetSocketAddress peer, LinkSecurity security, Path nbdSocket,
      InetSocketAddress nbdTcp, Path controlSocket, Duration retry) {}

  private VolumeNode(EventLoopGroup group, VolumeEngine engine, PeerLink link, NbdServer nbd, InetSocketAddress bound) {
    this.group = group;
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
    // One thread per volume process, for NBD, control, the engine's disk I/O (blocking pwrite and
    // fdatasync on it: the nbdkit model) and the peer link. A replicated small write then crosses no
    // thread boundary on either node: the request, the local write, the sealed message, the peer's
    // acknowledgement and the reply all run on the thread that received them. Measured under QD1
    // 4 KiB write + fsync (docs/volume.md, "One thread per process"): a second thread for the peer
    // link cost four hand-overs (eventfd wake-ups) per message (sync-write p99 median 943 against
    // 764 µs in alternated runs) and gave no measurable sequential throughput on this machine.
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    VolumeEngine engine = null;
    PeerLink link = null;
    NbdServer nbd = null;
    try {
      engine = VolumeEngine.open(settings, clock, System::nanoTime, group.next());
      engine.useFencer(fencer, peerNode);
      link = new PeerLink(group, settings.name(), ep.listen(), ep.peer(), ep.security(), engine, ep.retry());
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
      VolumeNode node = new VolumeNode(group, engine, link, nbd, bound);
      if (ep.controlSocket() != null) node.control = ControlServer.start(group, ep.controlSocket(), engine);
      engine.connect().join();
      return node;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (nbd != null) nbd.close();
      if (link != null) link.close();
      if (engine != null) engine.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
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
  }
}
