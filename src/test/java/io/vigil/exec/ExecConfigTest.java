package io.vigil.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecConfigTest {
  @Test
  void defaultsMatchTheDocumentedKeys() {
    ExecConfig c = ExecConfig.defaults();
    assertThat(c.ocfRoot()).isEqualTo(Path.of("/usr/lib/ocf"));
    assertThat(c.lsbRoot()).isEqualTo(Path.of("/etc/init.d"));
    assertThat(c.outputTailBytes()).isEqualTo(65536);
    assertThat(c.killGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.reaper()).isTrue();
    assertThat(ExecConfig.KEYS).extracting(ExecConfig.Key::name).allMatch(n -> n.startsWith("vigil.exec."));
  }

  @Test
  void readsOverrides() {
    ExecConfig c = ExecConfig.fromProperties(Map.of("vigil.exec.ocf-root", "/opt/ocf", "vigil.exec.kill-grace", "PT1S"));
    assertThat(c.ocfRoot()).isEqualTo(Path.of("/opt/ocf"));
    assertThat(c.killGrace()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void badValuesAreRejectedWithTheKey() {
    assertThatThrownBy(() -> ExecConfig.fromProperties(Map.of("vigil.exec.output-tail", "12")))
        .hasMessageContaining("vigil.exec.output-tail and vigil.exec.metadata-output must be >= 1024 bytes, got 12");
  }
}
