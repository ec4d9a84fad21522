package io.vigil.agents.volume.attach;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachRecordTest {
  @TempDir Path dir;

  @Test
  void aRecordOfThisBootNamesItsDeviceAndOneOfAnotherBootNamesNothing() throws Exception {
    assertThat(AttachRecord.read(dir)).as("no record").isNull();
    AttachRecord.write(dir, Path.of("/dev/loop7"));
    assertThat(AttachRecord.read(dir)).isEqualTo(Path.of("/dev/loop7"));
    // the same device number after a reboot may be someone else's: never acted upon
    Files.writeString(dir.resolve("device"), "/dev/loop7\n00000000-0000-0000-0000-000000000000\n");
    assertThat(AttachRecord.read(dir)).isNull();
    Files.writeString(dir.resolve("device"), "/dev/loop7\n"); // an older or torn record
    assertThat(AttachRecord.read(dir)).isNull();
    AttachRecord.delete(dir);
    assertThat(dir.resolve("device")).doesNotExist();
  }
}
