package io.vigil.agents.volume;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.vigil.agents.volume.replication.LinkSecurity;
import io.vigil.agents.volume.replication.PeerLink;
import io.vigil.agents.volume.replication.Protocol;
import io.vigil.agents.volume.replication.SharedKey;
import io.vigil.agents.volume.replication.TlsFiles;
import io.vigil.agents.volume.sync.SplitBrainPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil volume serve}: runs one node of one volume in the foreground until SIGTERM. It lives
 * beside the engine (not in io.vigil.cli) because it is also the entry point of the process the
 * {@code builtin:volume} agent starts ({@link #main}).
 */
@Command(name = "serve", description = "Serve one node of a replicated volume: peer link, NBD export (when Primary), control socket.")
public final class VolumeServeMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(VolumeServeMain.class);
  /** How long a node with no copy yet waits for the peer's answer to {@link FirstStart#REQUEST}. */
  private static final Duration ASK_PEER = Duration.ofSeconds(5);

  @Option(names = "--name", required = true, description = "Volume name (letters, digits, '.', '_', '-').")
  String name;

  @Option(names = "--node", description = "This node's name (default: the --listen address).")
  String node;

  @Option(names = "--backing", required = true, paramLabel = "FILE", description = "Backing file or block device.")
  Path backing;

  @Option(names = "--size", required = true, description = "Volume size, e.g. 1G.")
  String size;

  @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Peer link address of this node.")
  String listen;

  @Option(names = "--peer", required = true, paramLabel = "HOST:PORT", description = "Peer link address of the other node.")
  String peer;

  @Option(names = "--nbd-socket", paramLabel = "PATH", description = "Unix socket for the NBD export.")
  Path nbdSocket;

  @Option(names = "--nbd-listen", paramLabel = "HOST:PORT", description = "TCP address for the NBD export (use 127.0.0.1).")
  String nbdListen;

  @Option(names = "--control", paramLabel = "PATH", description = "Control socket (default /run/vigil/volume-NAME.sock).")
  Path control;

  @Option(names = "--key-file", paramLabel = "FILE", description = "Per-volume shared key (mode 0600) securing the peer link.")
  Path keyFile;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate for mutual TLS on the peer link (with --tls-key, --tls-ca).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "PKCS#8 private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "PEM", description = "CA certificate(s) the peer's certificate must chain to.")
  Path tlsCa;

  @Option(names = "--insecure-plaintext", hidden = true, description = "Tests only: no authentication or encryption on the peer link.")
  boolean plaintext;

  @Option(names = "--primary", description = "Promote this node once started.")
  boolean primary;

  @Option(names = "--init", description = "If no metadata exists yet: zeroed (new zero-filled backing file), existing (keep this node's "
      + "data; the peer syncs from it), sync-target (overwrite from the peer). Default: asked from the peer's copy (a fresh zero-filled "
      + "peer: zeroed; a peer with data: sync-target; a peer waiting for this node's data: existing; no answer: zeroed if no backing file).")
  String init;

  @Option(names = "--protocol", defaultValue = "C", description = "Replication protocol A, B or C (default C).")
  String protocol;

  @Option(names = "--region-size", defaultValue = "256K", description = "Dirty-bitmap region size (default 256K).")
  String regionSize;

  @Option(names = "--split-brain", defaultValue = "disconnect",
      description = "disconnect (default), discard-zero-changes, discard-younger-primary or discard-least-changes.")
  String splitBrain;

  @Option(names = "--resync-rate", defaultValue = "500M", description = "Resync rate limit in bytes per second (default 500M).")
  String resyncRate;

  @Option(names = "--fence-socket", paramLabel = "PATH", description = "vigild's control socket: while Primary without its peer, "
      + "record the peer Outdated in the cluster before acknowledging a write (with --fence-resource and --peer-node).")
  Path fenceSocket;

  @Option(names = "--fence-resource", paramLabel = "ID", description = "The cluster resource (primitive id) of this volume, for --fence-socket.")
  String fenceResource;

  @Option(names = "--peer-node", paramLabel = "NODE", description = "The peer's cluster node name, for --fence-socket.")
  String peerNode;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Default control socket of a volume. */
  public static Path defaultControl(String name) {
    return Path.of("/run/vigil/volume-" + name + ".sock");
  }

  /** The serve process on its own ({@code builtin:volume} starts it this way); exit code 1 with the reason on bad input. */
  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new VolumeServeMain());
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      c.getErr().println("vigil volume serve: " + ex.getMessage());
      return 1;
    });
    System.exit(cl.execute(args));
  }

  /** No copy here and no --init: asks the peer what its copy is and decides from that ({@link FirstStart}). */
  private static InitialData fromPeer(VolumeSettings s, InetSocketAddress peer, LinkSecurity security) throws InterruptedException {
    FirstStart.PeerCopy copy = null;
    String unreachable = null;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      copy = FirstStart.PeerCopy.parse(PeerLink.ask(group, s.name(), peer, security, FirstStart.REQUEST, ASK_PEER).get());
    } catch (ExecutionException e) {
      unreachable = e.getCause().getMessage();
    } catch (IllegalArgumentException e) {
      unreachable = e.getMessage();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    FirstStart.Decision d = FirstStart.decide(s, Files.exists(s.backing()), copy, unreachable);
    log.info("volume '{}': no copy on node '{}' yet and no --init: {}", s.name(), s.node(), d.why());
    return d.initial();
  }

  static InetSocketAddress address(String option, String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0) throw new IllegalArgumentException(option + " '" + s + "' must be HOST:PORT");
    try {
      return new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " '" + s + "': " + e.getMessage());
    }
  }

  @Override
  public Integer call() throws Exception {
    InetSocketAddress listenAddr = address("--listen", listen);
    VolumeSettings settings = new VolumeSettings(name, node != null ? node : listen, backing, Sizes.parse(size),
        (int) Sizes.parse(regionSize), VolumeSettings.DEFAULT_AL_REGIONS, Protocol.parse(protocol), SplitBrainPolicy.parse(splitBrain),
        Sizes.parse(resyncRate));
    LinkSecurity security;
    if (tlsCert != null || tlsKey != null || tlsCa != null) {
      if (tlsCert == null || tlsKey == null || tlsCa == null) throw new IllegalArgumentException("mutual TLS needs all of --tls-cert, --tls-key and --tls-ca");
      security = TlsFiles.load(tlsCert, tlsKey, tlsCa);
    } else if (keyFile != null) security = new LinkSecurity.SharedSecret(SharedKey.load(keyFile));
    else if (plaintext) security = new LinkSecurity.InsecurePlaintext();
    else throw new IllegalArgumentException("volume '" + name + "': the peer link needs --key-file FILE or --tls-cert/--tls-key/--tls-ca"
        + " (plaintext is never the default)");
    InetSocketAddress peerAddr = address("--peer", peer);
    if (!Files.exists(settings.metadataPath())) {
      InitialData initial = init != null ? switch (init) {
        case "zeroed" -> InitialData.ZEROED;
        case "existing" -> InitialData.EXISTING_SOURCE;
        case "sync-target" -> InitialData.SYNC_TARGET;
        default -> throw new IllegalArgumentException("--init '" + init + "': expected zeroed, existing or sync-target");
      } : fromPeer(settings, peerAddr, security);
      VolumeEngine.create(settings, initial, Clock.systemUTC());
    }
    VolumeNode.Endpoints ep = new VolumeNode.Endpoints(listenAddr, peerAddr, security, nbdSocket,
        nbdListen == null ? null : address("--nbd-listen", nbdListen), control != null ? control : defaultControl(name),
        Duration.ofMillis(500));
    if ((fenceSocket == null) != (fenceResource == null) || (fenceSocket == null) != (peerNode == null)) {
      throw new IllegalArgumentException("volume '" + name + "': --fence-socket, --fence-resource and --peer-node go together");
    }
    PeerFencer fencer = fenceSocket == null ? PeerFencer.NONE : new ClusterPeerFencer(fenceSocket, fenceResource, settings.node());
    VolumeNode n = VolumeNode.start(settings, ep, Clock.systemUTC(), fencer, peerNode);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      n.close();
      stopped.countDown();
    }, "volume-shutdown"));
    if (primary) n.engine().promote().join();
    spec.commandLine().getOut().println("volume '" + name + "' serving as node '" + settings.node() + "'");
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
