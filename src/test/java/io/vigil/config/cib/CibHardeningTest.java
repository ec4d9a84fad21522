package io.vigil.config.cib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken inputs are refused with one located line, quickly, and never read anything else. */
class CibHardeningTest {
  /** A bound against hangs, not a timing claim: each of these is refused in milliseconds. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(20);

  private static CibRefusedException refused(String xml) {
    return refused(xml.getBytes(StandardCharsets.UTF_8));
  }

  private static CibRefusedException refused(byte[] xml) {
    return assertTimeoutPreemptively(HANG_GUARD, () -> {
      try {
        CibImport i = new CibImporter().importBytes(xml, "cib.xml");
        throw new AssertionError("imported, expected a refusal: " + i.config());
      } catch (CibRefusedException e) {
        return e;
      }
    });
  }

  @Test
  void billionLaughsIsRefusedAtTheDoctype() {
    StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE cib [\n<!ENTITY l0 \"lol\">\n");
    for (int i = 1; i <= 10; i++) {
      dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">\n");
    }
    dtd.append("]>\n<cib><configuration><crm_config><cluster_property_set id=\"s\">")
        .append("<nvpair id=\"n\" name=\"cluster-name\" value=\"&l10;\"/></cluster_property_set></crm_config></configuration></cib>");
    assertThat(refused(dtd.toString()).getMessage()).isEqualTo(
        "cib.xml:2:10: DOCTYPE declarations are not allowed (a CIB has none; they enable entity expansion and external entities)");
  }

  @Test
  void externalEntityIsNeverRead(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-CONTENT");
    String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE cib [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
        + "<cib><configuration><crm_config><cluster_property_set id=\"s\"><nvpair id=\"n\" name=\"cluster-name\" value=\"&x;\"/>"
        + "</cluster_property_set></crm_config></configuration></cib>";
    CibRefusedException e = refused(xml);
    assertThat(e.getMessage()).startsWith("cib.xml:2:10: DOCTYPE declarations are not allowed").doesNotContain("TOP-SECRET");
  }

  @Test
  void plainDoctypeIsRefusedToo() {
    assertThat(refused("<!DOCTYPE cib SYSTEM \"http://example.invalid/cib.dtd\"><cib><configuration/></cib>").getMessage())
        .startsWith("cib.xml:1:10: DOCTYPE declarations are not allowed");
  }

  @Test
  void binaryGarbageGetsALocatedError() {
    byte[] garbage = new byte[4096];
    new Random(42).nextBytes(garbage);
    garbage[0] = 0x01;
    assertThat(refused(garbage).getMessage()).matches("cib\\.xml:\\d+:\\d+: .+");
  }

  @Test
  void truncatedXmlNamesTheLineAndColumn() {
    assertThat(refused("<cib>\n  <configuration>\n    <nodes>\n      <node id=\"1\" uname=\"a\"/>\n    </nod").getMessage())
        .isEqualTo("cib.xml:5:7: The element type \"nodes\" must be terminated by the matching end-tag \"</nodes>\".");
  }

  @Test
  void invalidUtf8AndDeepNestingAreRefused() {
    byte[] badUtf8 = "<cib><configuration><nodes><node id=\"\u00ff\"/></nodes></configuration></cib>"
        .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(refused(badUtf8).getMessage()).startsWith("cib.xml:1:");
    String deep = "<cib><configuration>" + "<a>".repeat(100_000) + "</a>".repeat(100_000) + "</configuration></cib>";
    assertThat(refused(deep).getMessage()).matches("cib\\.xml:1:\\d+: The element \"a\" has a depth of \"257\".*");
  }

  @Test
  void notACibIsRefusedWithWhatWasExpected() {
    assertThat(refused("<html/>").getMessage())
        .isEqualTo("cib.xml: root element is <html>, expected <cib> (a Pacemaker CIB, e.g. from cibadmin --query)");
    assertThat(refused("<cib/>").getMessage()).isEqualTo("cib.xml: <cib> has no <configuration> section");
    assertThat(refused(new byte[0]).getMessage()).isEqualTo("cib.xml: file is empty, expected a CIB XML document");
  }

  @Test
  void hugeFileIsRefusedBeforeParsing(@TempDir Path dir) throws Exception {
    Path huge = dir.resolve("huge.xml");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(SecureXml.DEFAULT_MAX_BYTES + 1);
    }
    assertThatThrownBy(() -> assertTimeoutPreemptively(HANG_GUARD, () -> new CibImporter().importFile(huge)))
        .isInstanceOf(CibRefusedException.class)
        .hasMessage(huge + ": file is 33554433 bytes, expected at most 33554432 bytes for a CIB (refusing to parse it)");
  }

  @Test
  void longStreamIsRefusedAtTheLimit() {
    byte[] big = ("<cib><configuration>" + " ".repeat(5000) + "</configuration></cib>").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new CibImporter(1024).importStream(new ByteArrayInputStream(big), "-"))
        .isInstanceOf(CibRefusedException.class)
        .hasMessage("-: input is longer than 1024 bytes, the most accepted for a CIB (refusing to parse it)");
  }

  @Test
  void millionsOfTinyElementsAreRefusedBeforeBuildingADom() {
    String xml = "<cib><configuration>" + "<a/>".repeat(SecureXml.MAX_ELEMENTS) + "</configuration></cib>";
    assertThat(refused(xml).getMessage()).isEqualTo("cib.xml: has about 200002 elements, expected at most 200000 "
        + "for a CIB (refusing to parse it)");
  }

  @Test
  void notesAreCappedSoAHostileFileCannotFloodTheTerminal() {
    CibImport i = Cibs.configuration("<x/>".repeat(1500));
    assertThat(i.notes()).hasSize(CibContext.MAX_NOTES + 1);
    assertThat(i.notes().get(0).toString()).isEqualTo("skipped x: unknown configuration section <x>");
    assertThat(i.notes().get(CibContext.MAX_NOTES).toString())
        .isEqualTo("skipped the rest of the configuration: 500 more notes not listed (at most 1000 are)");
  }

  @Test
  void missingFileAndDirectoryAreRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> new CibImporter().importFile(dir.resolve("none.xml")))
        .isInstanceOf(CibRefusedException.class).hasMessage(dir.resolve("none.xml") + ": no such file");
    assertThatThrownBy(() -> new CibImporter().importFile(dir))
        .isInstanceOf(CibRefusedException.class).hasMessage(dir + ": is a directory, expected a CIB XML file");
  }
}
