package io.vigil.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.cluster.security.ClusterCa;
import io.vigil.cluster.security.NodeCredentials;
import io.vigil.cluster.state.Member;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
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

  /** Handshakes as an HTTP/2 client, sends the connection preface and reads the server's first bytes. */
  private int talk(PrivateKey key, X509Certificate cert) throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    KeyManagerFactory kmf = null;
    if (key != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("me", key, new char[0], new X509Certificate[] {cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(peer.host(), peer.port())) {
      s.setSoTimeout(5000);
      var p = s.getSSLParameters();
      p.setApplicationProtocols(new String[] {"h2"});
      s.setSSLParameters(p);
      s.startHandshake();
      s.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // empty SETTINGS frame
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[9];
      int n = in.read(buf);
      if (n < 0) throw new IOException("server closed the connection");
      return n;
    }
  }

  @Test
  void peerWithClusterCertificateIsServed() throws Exception {
    NodeCredentials b = TestPki.node(ca, "b");
    assertThat(talk(b.key(), b.certificate())).isPositive();
  }

  @Test
  void peerWithSelfSignedCertificateIsRefused() {
    ClusterCa self = ClusterCa.create("mallory", Instant.now()); // a self-signed certificate and its key
    assertThatThrownBy(() -> talk(self.key(), self.certificate())).isInstanceOf(IOException.class);
  }

  @Test
  void peerWithCertificateOfAnotherClusterIsRefused() {
    NodeCredentials other = TestPki.node(ClusterCa.create("other", Instant.now()), "b");
    assertThatThrownBy(() -> talk(other.key(), other.certificate())).isInstanceOf(IOException.class);
  }

  @Test
  void peerWithoutCertificateIsRefused() {
    assertThatThrownBy(() -> talk(null, null)).isInstanceOf(IOException.class);
  }
}
