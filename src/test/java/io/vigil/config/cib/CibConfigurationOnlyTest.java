package io.vigil.config.cib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link CibImporter#importConfiguration} (stops after the configuration) imports as {@link CibImporter#importBytes}. */
class CibConfigurationOnlyTest {
  private final CibImporter importer = new CibImporter();

  @Test
  void everyCorpusCibImportsTheSameWhetherOrNotTheStatusIsParsed() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(CibCorpusTest.corpus())) {
      files = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(100);
    for (Path f : files) {
      byte[] xml = Files.readAllBytes(f);
      CibImport whole = importer.importBytes(xml, f.toString());
      CibImport configOnly = importer.importConfiguration(xml, f.toString());
      assertThat(configOnly.config()).as("configuration of %s", f).isEqualTo(whole.config());
      assertThat(configOnly.notes()).as("notes of %s", f).isEqualTo(whole.notes());
    }
  }

  @Test
  void statusBeforeTheConfigurationIsSkippedNotBuilt() throws Exception {
    String cib = "<cib><status><node_state id='1'><lrm/></node_state></status>"
        + "<configuration><nodes><node id='1' uname='a'/></nodes><resources>"
        + "<primitive id='p' class='ocf' provider='heartbeat' type='Dummy'><!-- c --><operations>"
        + "<op id='m' name='monitor' interval='10s' timeout='20s'/></operations></primitive></resources>"
        + "</configuration></cib>";
    assertThat(importer.importConfiguration(bytes(cib), "cib.xml")).isEqualTo(importer.importBytes(bytes(cib), "cib.xml"));
  }

  @Test
  void malformedXmlAfterTheConfigurationIsLeftToTheCaller() throws Exception {
    String cib = "<cib><configuration><nodes><node id='1' uname='a'/></nodes></configuration><status><oops></status></cib>";
    assertThat(importer.importConfiguration(bytes(cib), "cib.xml").config().nodes()).hasSize(1);
    assertThatThrownBy(() -> importer.importBytes(bytes(cib), "cib.xml")).isInstanceOf(CibRefusedException.class);
  }

  @Test
  void malformedOrHostileConfigurationsAreRefusedAsByTheFullParse() {
    for (String bad : List.of("<cib><configuration><nodes></configuration></cib>",
        "<!DOCTYPE cib [<!ENTITY x 'y'>]><cib><configuration/></cib>",
        "<cib><configuration>" + "<a>".repeat(300) + "</a>".repeat(300) + "</configuration></cib>")) {
      String whole = message(() -> importer.importBytes(bytes(bad), "cib.xml"));
      String configOnly = message(() -> importer.importConfiguration(bytes(bad), "cib.xml"));
      assertThat(configOnly).as(bad).isEqualTo(whole).startsWith("cib.xml:");
    }
  }

  private interface Import {
    CibImport run() throws CibRefusedException;
  }

  private static String message(Import i) {
    try {
      i.run();
      throw new AssertionError("not refused");
    } catch (CibRefusedException e) {
      return e.getMessage();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
