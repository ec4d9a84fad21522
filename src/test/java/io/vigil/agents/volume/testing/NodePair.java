package io.vigil.agents.volume.testing;

import io.vigil.agents.volume.InitialData;
import io.vigil.agents.volume.VolumeEngine;
import io.vigil.agents.volume.VolumeNode;
import io.vigil.agents.volume.VolumeSettings;
import io.vigil.agents.volume.VolumeStatus;
import io.vigil.agents.volume.replication.LinkSecurity;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Two nodes of one volume in this JVM on loopback, with real files, sockets and NBD unix sockets. */
public final class NodePair implements AutoCloseable {
  public final Path dir;
  public final VolumeSettings a;
  public final VolumeSettings b;
  public final InetSocketAddress listenA;
  public final InetSocketAddress listenB;
  public InetSocketAddress peerOfA;
  public LinkSecurity securityA;
  public LinkSecurity securityB;
  public VolumeNode nodeA;
  public VolumeNode nodeB;

  public NodePair(Path dir, long size, UnaryOperator<VolumeSettings> tweak, LinkSecurity security) {
    this(dir, size, tweak, security, FreePorts.sorted(2));
  }

  /** With the two lowest of {@code ports} (sorted) as listen ports of a and b. */
  public NodePair(Path dir, long size, UnaryOperator<VolumeSettings> tweak, LinkSecurity security, int[] ports) {
    this.dir = dir;
    listenA = new InetSocketAddress("127.0.0.1", ports[0]); // a sorts lower, so a dials
    listenB = new InetSocketAddress("127.0.0.1", ports[1]);
    peerOfA = listenB;
    a = tweak.apply(VolumeSettings.defaults("mail", "a", dir.resolve("a.img"), size));
    b = tweak.apply(VolumeSettings.defaults("mail", "b", dir.resolve("b.img"), size));
    securityA = security;
    securityB = security;
  }

  public void createBoth(InitialData da, InitialData db) throws Exception {
    VolumeEngine.create(a, da, Clock.systemUTC());
    VolumeEngine.create(b, db, Clock.systemUTC());
  }

  public Path socket(String node) {
    return dir.resolve(node + ".nbd");
  }

  public String uri(String node) {
    return "nbd+unix:///mail?socket=" + socket(node);
  }

  public VolumeNode startA() throws Exception {
    nodeA = VolumeNode.start(a, new VolumeNode.Endpoints(listenA, peerOfA, securityA, socket("a"), null, null, Duration.ofMillis(200)),
        Clock.systemUTC());
    return nodeA;
  }

  public VolumeNode startB() throws Exception {
    nodeB = VolumeNode.start(b, new VolumeNode.Endpoints(listenB, listenA, securityB, socket("b"), null, null, Duration.ofMillis(200)),
        Clock.systemUTC());
    return nodeB;
  }

  public VolumeStatus statusA() {
    return nodeA.engine().status().join();
  }

  public VolumeStatus statusB() {
    return nodeB.engine().status().join();
  }

  public byte[] dataA() throws Exception {
    return Files.readAllBytes(a.backing());
  }

  public byte[] dataB() throws Exception {
    return Files.readAllBytes(b.backing());
  }

  @Override
  public void close() {
    if (nodeA != null) nodeA.close();
    if (nodeB != null) nodeB.close();
  }
}
