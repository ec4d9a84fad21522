package io.vigil.cluster.daemon;

import io.vigil.cluster.security.ClusterCa;
import io.vigil.cluster.security.NodeCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** What a REST API test needs before it can serve: a node certificate from a fresh CA and a token file. */
final class RestApiFixture {
  private RestApiFixture() {}

  /** Credentials of node "a" at 127.0.0.1, signed by a new cluster CA. */
  static NodeCredentials node() throws Exception {
    ClusterCa ca = ClusterCa.create("demo", Instant.now());
    var kp = ClusterCa.newKeyPair();
    return new NodeCredentials(ca.certificate(), ca.sign(ClusterCa.csr("a", kp), "a", "127.0.0.1", Instant.now()),
        kp.getPrivate(), Optional.empty());
  }

  /** {@code dir/token} holding {@code token}, as an operator writes it. */
  static Path tokenFile(Path dir, String token) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, token + "\n");
    return file;
  }
}
