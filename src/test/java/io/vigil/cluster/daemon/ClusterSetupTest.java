package io.vigil.cluster.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.cluster.security.NodeCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSetupTest {
  @TempDir Path tmp;

  @Test
  void initWritesOwnerOnlyIdentityAndCredentialsAndRefusesToOverwrite() throws Exception {
    Path dir = tmp.resolve("a");
    NodeIdentity id = ClusterSetup.init(dir, "prod", "a", "10.0.0.1:7100", null, Instant.now());
    assertThat(id.enrollAddress()).isEqualTo("10.0.0.1:7101");
    assertThat(NodeIdentity.load(dir)).isEqualTo(id);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node.json")))).isEqualTo("rw-------");
    NodeCredentials c = NodeCredentials.load(dir);
    assertThat(c.authority()).isPresent();
    assertThat(c.certificate().getSubjectAlternativeNames()).anyMatch(san -> san.get(1).equals("10.0.0.1"));
    assertThatThrownBy(() -> ClusterSetup.init(dir, "prod", "a", "10.0.0.1:7100", null, Instant.now()))
        .hasMessageContaining("already holds a node");
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsWritten() {
    Path dir = tmp.resolve("b");
    assertThatThrownBy(() -> ClusterSetup.init(dir, "prod", "b", "no-port", null, Instant.now()))
        .hasMessageContaining("'no-port' is not host:port");
    assertThatThrownBy(() -> ClusterSetup.join(dir, "vigil1.garbage", "b", "127.0.0.1:7000", io.vigil.cluster.state.Member.Role.VOTER))
        .hasMessageContaining("join token is malformed");
    assertThat(dir).doesNotExist();
  }

  @Test
  void missingIdentityNamesTheFileAndTheFix() {
    assertThatThrownBy(() -> NodeIdentity.load(tmp)).hasMessageContaining("node.json").hasMessageContaining("vigil cluster init");
  }
}
