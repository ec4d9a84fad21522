package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden transcripts under src/test/resources/io/vigil/scheduler/golden; regenerate them with
 * {@code -Dvigil.golden.update=true} and review the diff.
 */
final class Golden {
  static final Path DIR = Path.of("src/test/resources/io/vigil/scheduler/golden");

  private Golden() {}

  static void assertMatches(String name, String actual) throws IOException {
    Path file = DIR.resolve(name + ".txt");
    if (Boolean.getBoolean("vigil.golden.update")) {
      Files.createDirectories(DIR);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden transcript %s (create with -Dvigil.golden.update=true)", file).exists();
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
