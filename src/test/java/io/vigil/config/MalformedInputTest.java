package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or broken input is refused with a located error: never an exception, never a hang. */
@Timeout(120)
class MalformedInputTest {
  private final ConfigLoader loader = new ConfigLoader(AgentCatalog.NONE);
  static final String EXAMPLE = readExample();

  static String readExample() {
    try {
      return Files.readString(Path.of("docs", "examples", "cluster.yaml"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("docs/examples/cluster.yaml must exist (run from the project root)", e);
    }
  }

  @Test
  void deepNestingIsRefusedWithItsLocation() {
    String deep = "cluster: t\nx: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
    ConfigLoader.Result r = loader.check(deep, "deep.yaml");
    assertThat(r.errors()).singleElement().asString()
        .isEqualTo("deep.yaml:2:67: nesting deeper than 64 levels; a cluster configuration needs far fewer");
  }

  @Test
  void deepBlockNestingIsRefused() {
    String deep = "cluster: t\nx:\n  " + "- ".repeat(5000) + "a\n";
    assertThat(loader.check(deep, "deep.yaml").errors()).singleElement().asString().contains("nesting deeper than 64 levels");
  }

  @Test
  void hugeFileIsRefusedBeforeParsing(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.yaml");
    byte[] chunk = "# padding padding padding padding padding padding padding padding\n".getBytes(StandardCharsets.UTF_8);
    try (var out = Files.newOutputStream(big)) {
      for (long written = 0; written <= YamlSource.MAX_CHARS; written += chunk.length) out.write(chunk);
    }
    assertThat(loader.check(big).errors()).singleElement().asString()
        .startsWith(big + ": is ").endsWith("bytes, more than the limit of 8388608");
  }

  @Test
  void binaryGarbageIsRefusedAsNotText(@TempDir Path dir) throws Exception {
    Path bin = dir.resolve("garbage.yaml");
    byte[] bytes = new byte[4096];
    new Random(7).nextBytes(bytes);
    Files.write(bin, bytes);
    assertThat(loader.check(bin).errors()).singleElement().asString()
        .isEqualTo(bin + ": is not UTF-8 text (is it a binary file?)");
  }

  @Test
  void controlCharactersAreLocated() {
    ConfigLoader.Result r = loader.check("cluster: t\nnodes: [\u0001]\n", "c.yaml");
    assertThat(r.errors()).singleElement().asString()
        .isEqualTo("c.yaml:2:9: character U+0001 is not allowed in YAML text (binary data or a control character?)");
  }

  @Test
  void missingFileAndDirectoryAreClearErrors(@TempDir Path dir) {
    assertThat(loader.check(dir.resolve("nope.yaml")).errors()).singleElement().asString().endsWith("nope.yaml: no such file");
    assertThat(loader.check(dir).errors()).singleElement().asString().endsWith(": is a directory, expected a YAML file");
  }

  @Test
  void wrongTypesEverywhereAreReportedNotThrown() {
    String yaml = """
        cluster: [a]
        properties: 5
        nodes: {a: b}
        resources: "x"
        constraints:
          - 7
          - {order: o, first: [a], then: {b: c}}
        fencing: [1]
        """;
    ConfigLoader.Result r = loader.check(yaml, "w.yaml");
    assertThat(r.valid()).isFalse();
    assertThat(r.errors()).hasSizeGreaterThanOrEqualTo(7).allSatisfy(p -> assertThat(p.line()).isPositive());
  }

  @Test
  void exampleIsValid() {
    ConfigLoader.Result r = loader.check(EXAMPLE, "cluster.yaml");
    assertThat(r.errors()).isEmpty();
  }

  @Property(tries = 400)
  void mutatedExampleNeverThrows(@ForAll("mutations") String text) {
    ConfigLoader.Result r = loader.check(text, "m.yaml");
    assertThat(r.valid() || !r.errors().isEmpty()).isTrue();
    r.problems().forEach(p -> assertThat(p.line()).isBetween(0, (int) text.lines().count() + 2));
  }

  @Property(tries = 300)
  void randomTextNeverThrows(@ForAll("garbage") String text) {
    ConfigLoader.Result r = loader.check(text, "g.yaml");
    assertThat(r.valid() || !r.errors().isEmpty()).isTrue();
  }

  @Provide
  Arbitrary<String> garbage() {
    return Arbitraries.strings().ofMaxLength(400);
  }

  /** The example with random cuts, duplications and byte flips: shapes a fuzzer would try. */
  @Provide
  Arbitrary<String> mutations() {
    return Arbitraries.longs().map(seed -> {
      Random rnd = new Random(seed);
      StringBuilder sb = new StringBuilder(EXAMPLE);
      int edits = 1 + rnd.nextInt(6);
      for (int i = 0; i < edits && sb.length() > 2; i++) {
        int at = rnd.nextInt(sb.length() - 1);
        switch (rnd.nextInt(5)) {
          case 0 -> sb.delete(at, Math.min(sb.length(), at + rnd.nextInt(40)));
          case 1 -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + rnd.nextInt(80))));
          case 2 -> sb.setCharAt(at, "{}[]:-,&*!|>'\"#%@`\t\n ".charAt(rnd.nextInt(21)));
          case 3 -> sb.insert(at, "  ");
          default -> sb.setCharAt(at, (char) rnd.nextInt(0x3000));
        }
      }
      return sb.toString();
    });
  }
}
