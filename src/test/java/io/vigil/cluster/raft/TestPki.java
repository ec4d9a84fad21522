package io.vigil.cluster.raft;

import io.vigil.cluster.security.ClusterCa;
import io.vigil.cluster.security.NodeCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Optional;

/** Test helpers: a CA with node credentials, and free loopback ports. */
final class TestPki {
  private TestPki() {}

  static NodeCredentials node(ClusterCa ca, String name) {
    try {
      var kp = ClusterCa.newKeyPair();
      var cert = ca.sign(ClusterCa.csr(name, kp), name, "127.0.0.1", Instant.now());
      return new NodeCredentials(ca.certificate(), cert, kp.getPrivate(), Optional.empty());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
