package io.vigil.agents.volume.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttachParamsTest {
  private static final Path VOLUMES = Path.of("/var/lib/vigil/builtin/volume");

  @Test
  void aVolumeNameIsItsDefaultExportOnThisNode() {
    AttachParams p = AttachParams.parse(Map.of("volume", "mail", "method", "loop", "link", "/dev/vigil/mail"), VOLUMES);
    assertThat(p.socket()).isEqualTo(VOLUMES.resolve("mail.nbd"));
    assertThat(p.exportName()).isEqualTo("mail");
    assertThat(p.method()).isEqualTo(AttachParams.Method.LOOP);
    assertThat(p.uri()).isEqualTo("nbd+unix:///mail?socket=/var/lib/vigil/builtin/volume/mail.nbd");
    assertThat(p.link()).isEqualTo(Path.of("/dev/vigil/mail"));
  }

  @Test
  void anExportUriGivesSocketAndName() {
    AttachParams p = AttachParams.parse(Map.of("export", "nbd+unix:///db?socket=/run/db%20x.nbd", "device", "/dev/nbd3"), VOLUMES);
    assertThat(p.socket()).isEqualTo(Path.of("/run/db x.nbd"));
    assertThat(p.exportName()).isEqualTo("db");
    assertThat(p.method()).as("the default").isEqualTo(AttachParams.Method.KERNEL);
    assertThat(KernelAttachment.connectCommand("/usr/sbin/nbd-client", p))
        .containsExactly("/usr/sbin/nbd-client", "-u", "-N", "db", "/run/db x.nbd", "/dev/nbd3");
  }

  @Test
  void badParametersAreRefusedByName() {
    assertRefused(Map.of(), "exactly one of volume");
    assertRefused(Map.of("volume", "a", "export", "nbd+unix:///a?socket=/s"), "exactly one of volume");
    assertRefused(Map.of("volume", "a", "device", "/dev/nbd0", "size", "1G"), "unknown parameter 'size'");
    assertRefused(Map.of("volume", "../etc", "device", "/dev/nbd0"), "volume '../etc' must be a volume name");
    assertRefused(Map.of("export", "nbd://host:10809/a", "device", "/dev/nbd0"), "must be nbd+unix:///NAME?socket=/path");
    assertRefused(Map.of("export", "nbd+unix:///a?socket=relative", "device", "/dev/nbd0"), "no absolute socket=/path");
    assertRefused(Map.of("volume", "a", "method", "fuse"), "method 'fuse' must be kernel or loop");
    assertRefused(Map.of("volume", "a"), "method kernel needs device /dev/nbdN, got none");
    assertRefused(Map.of("volume", "a", "device", "/dev/sda"), "needs device /dev/nbdN, got '/dev/sda'");
    assertRefused(Map.of("volume", "a", "method", "loop"), "method loop needs link");
    assertRefused(Map.of("volume", "a", "method", "loop", "link", "/l", "device", "/dev/loop0"), "drop device");
    assertRefused(Map.of("volume", "a", "method", "loop", "link", "dev/a"), "link 'dev/a' must be an absolute path");
    assertRefused(Map.of("volume", "a", "device", "/dev/nbd0", "link", "/dev/nbd1"), "would replace a device node");
  }

  private static void assertRefused(Map<String, String> raw, String message) {
    assertThatThrownBy(() -> AttachParams.parse(raw, VOLUMES)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("builtin:nbd: ").hasMessageContaining(message);
  }
}
