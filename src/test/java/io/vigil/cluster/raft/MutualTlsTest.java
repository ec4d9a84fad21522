package io.vigil.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.cluster.security.ClusterCa;
import io.vigil.cluster.security.NodeCredentials;
import io.vigil.cluster.state.Member;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real TLS client against a real Ratis gRPC port: only certificates of the cluster CA get in. */
class MutualTlsTest {
  @TempDir Path dir;
  private final ClusterCa ca = ClusterCa.create("t", Instant.now());
  private RaftNode node;
  private Peer peer;

  @BeforeEach
  void start() throws Exception {
    peer = new Peer("a", "127.0.0.1:" + TestPki.freePort(), Member.Role.VOTER);
    node = new RaftNode("t", peer, List.of(peer), dir, TestPki.node(ca, "a"), VigilRaftConfig.DEFAULTS);
    node.start();
  }

  @AfterEach
  void stop() throws IOException {
    node.close();
  }

  @Test
  void peerWithClusterCertificateIsServed() throws Exception {
    NodeCredentials b = TestPki.node(ca, "b");
    assertThat(TlsProbe.talk(peer.host(), peer.port(), ca.certificate(), b.key(), b.certificate())).isPositive();
  }

  @Test
  void peerWithSelfSignedCertificateIsRefused() {
    ClusterCa self = ClusterCa.create("mallory", Instant.now()); // a self-signed certificate and its key
    assertThatThrownBy(() -> TlsProbe.talk(peer.host(), peer.port(), ca.certificate(), self.key(), self.certificate())).isInstanceOf(IOException.class);
  }

  @Test
  void peerWithCertificateOfAnotherClusterIsRefused() {
    NodeCredentials other = TestPki.node(ClusterCa.create("other", Instant.now()), "b");
    assertThatThrownBy(() -> TlsProbe.talk(peer.host(), peer.port(), ca.certificate(), other.key(), other.certificate())).isInstanceOf(IOException.class);
  }

  @Test
  void peerWithoutCertificateIsRefused() {
    assertThatThrownBy(() -> TlsProbe.talk(peer.host(), peer.port(), ca.certificate(), null, null)).isInstanceOf(IOException.class);
  }
}
