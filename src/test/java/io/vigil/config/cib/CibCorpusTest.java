package io.vigil.config.cib;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.AgentCatalog;
import io.vigil.config.ConfigLoader;
import io.vigil.config.ConfigWriter;
import io.vigil.model.ClusterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Imports every CIB of Pacemaker's scheduler regression corpus: each must import or be refused with
 * a message, never throw; every top-level resource must be imported or noted; and the YAML written
 * for it must pass {@code vigil validate} and read back as the same model.
 */
class CibCorpusTest {
  static final String PROPERTY = "vigil.pacemaker.corpus";
  static final String ENV = "VIGIL_PACEMAKER_CORPUS";

  /** The corpus directory: system property, environment, or ../shared/pacemaker-scheduler/xml. */
  static Path corpus() {
    String override = System.getProperty(PROPERTY, System.getenv(ENV));
    Path dir = override != null && !override.isBlank() ? Path.of(override)
        : Path.of("..", "shared", "pacemaker-scheduler", "xml");
    if (!Files.isDirectory(dir)) {
      throw new AssertionError("Pacemaker CIB corpus not found at " + dir.toAbsolutePath()
          + " (set -D" + PROPERTY + "=DIR or " + ENV + "); CI has it, so this test fails instead of skipping");
    }
    return dir;
  }

  @Test
  void everyCorpusCibImportsOrIsRefusedWithAMessage() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(corpus())) {
      files = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
    }
    assertThat(files).as("CIBs in the corpus").hasSizeGreaterThan(100);
    CibImporter importer = new CibImporter();
    long importNanos = 0;
    int imported = 0;
    int withNotes = 0;
    List<String> refused = new ArrayList<>();
    Map<String, Integer> reasons = new TreeMap<>();
    List<String> unaccounted = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (Path f : files) {
      try {
        long start = System.nanoTime();
        CibImport result = importer.importFile(f);
        importNanos += System.nanoTime() - start;
        imported++;
        if (!result.notes().isEmpty()) withNotes++;
        for (ImportNote n : result.notes()) {
          reasons.merge(n.kind().label() + ": " + n.reason().replaceAll("'[^']*'", "'…'"), 1, Integer::sum);
        }
        unaccounted.addAll(unaccountedResources(f, result));
        String yaml = ConfigWriter.write(result.config());
        ConfigLoader.Result loaded = new ConfigLoader(AgentCatalog.NONE).check(yaml, f.getFileName() + ".yaml");
        if (!loaded.valid()) {
          loaded.errors().forEach(p -> invalid.add(p.toString()));
        } else if (!loaded.config().orElseThrow().equals(result.config())) {
          invalid.add(f.getFileName() + ": the written YAML reads back as a different model");
        }
      } catch (CibRefusedException e) {
        assertThat(e.getMessage()).as("refusal of %s", f).startsWith(f.toString()).doesNotContain("Exception");
        refused.add(e.getMessage());
      }
    }
    System.out.printf("import-cib corpus: %d files, %d imported (%d with notes), %d refused, %d notes%n",
        files.size(), imported, withNotes, refused.size(), reasons.values().stream().mapToInt(Integer::intValue).sum());
    // Printed for docs/import-cib.md, never asserted.
    System.out.printf("  import time (parse + convert, one JVM, cold): %d ms total%n", importNanos / 1_000_000);
    refused.forEach(r -> System.out.println("  refused: " + r));
    reasons.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(25)
        .forEach(r -> System.out.printf("  %5d  %s%n", r.getValue(), r.getKey()));
    // These are real CIBs that Pacemaker accepts: none should need refusing.
    assertThat(refused).isEmpty();
    assertThat(unaccounted).isEmpty();
    assertThat(invalid).as("problems vigil validate finds in the imported YAML").isEmpty();
  }

  /** Top-level resources of the CIB that are neither in the imported config nor named by a note. */
  private static List<String> unaccountedResources(Path f, CibImport result) throws Exception {
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element resources = (Element) dbf.newDocumentBuilder().parse(f.toFile())
        .getElementsByTagName("resources").item(0);
    List<String> out = new ArrayList<>();
    if (resources == null) return out;
    ClusterConfig config = result.config();
    NodeList kids = resources.getChildNodes();
    for (int i = 0; i < kids.getLength(); i++) {
      if (!(kids.item(i) instanceof Element e) || e.getTagName().equals("template")) continue;
      String id = e.getAttribute("id");
      boolean noted = result.notes().stream().anyMatch(n -> n.where().contains("'" + id + "'"));
      if (config.resource(id).isEmpty() && !noted) out.add(f.getFileName() + ": " + id);
    }
    return out;
  }
}
