package io.vigil.agents.providerip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir Path dir;

  Path file(String content, String perms) throws Exception {
    Path f = dir.resolve("cred");
    Files.writeString(f, content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  @Test
  void readsUserColonPasswordAndNeverPrintsThePassword() throws Exception {
    Credentials c = Credentials.read(file("# robot\n#ws-user\nws-user:s3cr:et\n", "rw-------"), Credentials.Kind.BASIC);
    assertThat(c).isInstanceOfSatisfying(Credentials.Basic.class, b -> {
      assertThat(b.user()).isEqualTo("ws-user");
      assertThat(b.password().reveal()).isEqualTo("s3cr:et");
    });
    assertThat(c.toString()).doesNotContain("s3cr").contains("(secret)");
    assertThat(c.authorization().toString()).doesNotContain("Basic");
    assertThat(c.authorization().reveal()).isEqualTo("Basic d3MtdXNlcjpzM2NyOmV0");
  }

  @Test
  void rejectsWorldReadableEmptyAndMalformedFilesWithoutQuotingThem() throws Exception {
    assertThatThrownBy(() -> Credentials.read(file("u:hunter2\n", "rw-r--r--"), Credentials.Kind.BASIC))
        .hasMessageContaining("is readable by others").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> Credentials.read(file("\n", "rw-------"), Credentials.Kind.BASIC))
        .hasMessageContaining("is empty; expected one line USER:PASSWORD");
    assertThatThrownBy(() -> Credentials.read(file("hunter2\n", "rw-------"), Credentials.Kind.BASIC))
        .hasMessageContaining("expected one line USER:PASSWORD").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> Credentials.read(dir.resolve("nope"), Credentials.Kind.BASIC))
        .hasMessageContaining("does not exist");
  }

  @Test
  void bearerTokenIsTheFirstLine() throws Exception {
    Credentials c = Credentials.read(file("tok-123\n", "rw-r-----"), Credentials.Kind.BEARER);
    assertThat(c.authorization().reveal()).isEqualTo("Bearer tok-123");
  }
}
