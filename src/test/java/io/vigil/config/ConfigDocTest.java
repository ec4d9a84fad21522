package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents exactly the keys the code accepts, and its example is valid. */
class ConfigDocTest {
  private static final Path DOC = Path.of("docs", "configuration.md");

  @Test
  void referenceSectionMatchesTheCode() throws Exception {
    String doc = Files.readString(DOC);
    int begin = doc.indexOf("<!-- BEGIN GENERATED REFERENCE -->\n");
    int end = doc.indexOf("<!-- END GENERATED REFERENCE -->");
    assertThat(begin).as("begin marker in " + DOC).isNotNegative();
    assertThat(end).as("end marker in " + DOC).isGreaterThan(begin);
    String embedded = doc.substring(begin + "<!-- BEGIN GENERATED REFERENCE -->\n".length(), end);
    assertThat(embedded).as("docs/configuration.md reference is stale: regenerate it with `bin/vigil config keys`")
        .isEqualTo(ConfigReference.markdown());
  }

  @Test
  void everyAcceptedKeyIsDocumented() {
    String reference = ConfigReference.markdown();
    Schema.sections().forEach((section, keys) ->
        keys.forEach(k -> assertThat(reference).contains("| `" + k + "` |")));
  }

  @Test
  void embeddedExampleIsTheValidExampleFile() throws Exception {
    String example = Files.readString(Path.of("docs", "examples", "cluster.yaml"));
    assertThat(Files.readString(DOC)).contains(example);
    ConfigLoader.Result r = new ConfigLoader(AgentCatalog.NONE).check(Path.of("docs", "examples", "cluster.yaml"));
    assertThat(r.errors()).isEmpty();
    assertThat(r.config().orElseThrow().allResources()).hasSize(9);
  }
}
