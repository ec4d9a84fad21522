package io.vigil.cluster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityTest {
  @TempDir Path dir;
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  private NodeCredentials firstNode() throws IOException {
    ClusterCa ca = ClusterCa.create("prod", now);
    var kp = ClusterCa.newKeyPair();
    var cert = ca.sign(ClusterCa.csr("alpha", kp), "alpha", "127.0.0.1", now);
    return new NodeCredentials(ca.certificate(), cert, kp.getPrivate(), Optional.of(ca));
  }

  @Test
  void savedKeysAreOwnerOnlyAndReloadEqual() throws Exception {
    NodeCredentials c = firstNode();
    c.save(dir);
    Path tls = NodeCredentials.dir(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("node.key")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("ca.key")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls))).isEqualTo("rwx------");
    NodeCredentials back = NodeCredentials.load(dir);
    assertThat(back.certificate()).isEqualTo(c.certificate());
    assertThat(back.key().getEncoded()).isEqualTo(c.key().getEncoded());
    assertThat(back.authority()).isPresent();
    back.certificate().verify(back.ca().getPublicKey());
  }

  @Test
  void csrNamingAnotherNodeIsNotSigned() throws Exception {
    ClusterCa ca = ClusterCa.create("prod", now);
    var csr = ClusterCa.csr("mallory", ClusterCa.newKeyPair());
    assertThatThrownBy(() -> ca.sign(csr, "alpha", "127.0.0.1", now)).hasMessageContaining("names 'mallory', expected node 'alpha'");
  }

  @Test
  void tokenTextRoundTripsAndMalformedTokensAreExplained() {
    var t = JoinTokens.issue("127.0.0.1:7001", "ab".repeat(32));
    assertThat(JoinTokens.parse(t.text())).isEqualTo(t);
    assertThat(t.toString()).doesNotContain(t.secret());
    assertThatThrownBy(() -> JoinTokens.parse("nope")).hasMessageContaining("malformed");
    assertThatThrownBy(() -> JoinTokens.parse(t.text().replace(t.secret(), "short"))).hasMessageContaining("secret");
  }

  @Test
  void enrollmentSignsOnceAndRefusesReusedTokensAndWrongCas() throws Exception {
    NodeCredentials first = firstNode();
    Set<String> redeemed = new HashSet<>();
    var token = JoinTokens.issue("127.0.0.1:0", NodeCredentials.fingerprint(first.ca()));
    String expectedHash = JoinTokens.hash(token.secret());
    EnrollmentServer.Redeemer redeemer = (id, hash, node, addr) -> {
      if (!hash.equals(expectedHash) || !redeemed.add(id)) throw new IOException("join token is unknown, already used or wrong");
    };
    EnrollmentServer.ClusterInfo info = new EnrollmentServer.ClusterInfo() {
      public String clusterName() { return "prod"; }
      public com.fasterxml.jackson.databind.JsonNode members() { return JsonNodeFactory.instance.arrayNode(); }
    };
    try (var server = new EnrollmentServer(new InetSocketAddress("127.0.0.1", 0), first, redeemer, info, Clock.systemUTC())) {
      var t = new JoinTokens.Token("127.0.0.1:" + server.port(), token.id(), token.secret(), token.caFingerprint());
      Enrollment.Joined joined = Enrollment.join(t, "beta", "127.0.0.1:7010");
      assertThat(joined.clusterName()).isEqualTo("prod");
      joined.credentials().certificate().verify(first.ca().getPublicKey());
      assertThat(joined.credentials().certificate().getSubjectX500Principal().getName()).contains("CN=beta");
      assertThatThrownBy(() -> Enrollment.join(t, "gamma", "127.0.0.1:7020")).hasMessageContaining("already used");
      var wrongCa = new JoinTokens.Token(t.enrollAddress(), t.id(), t.secret(), "00".repeat(32));
      assertThatThrownBy(() -> Enrollment.join(wrongCa, "delta", "127.0.0.1:7030")).isInstanceOf(IOException.class);
    }
  }
}
