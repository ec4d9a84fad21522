package io.vigil.config.cib;

import java.nio.charset.StandardCharsets;

/** Small helpers to import hand-written CIB snippets. */
final class Cibs {
  private Cibs() {}

  /** Imports {@code <cib><configuration>inner</configuration></cib>} as "cib.xml". */
  static CibImport configuration(String inner) {
    return xml("<cib validate-with=\"pacemaker-3.9\"><configuration>" + inner + "</configuration><status/></cib>");
  }

  static CibImport xml(String xml) {
    try {
      return new CibImporter().importBytes(xml.getBytes(StandardCharsets.UTF_8), "cib.xml");
    } catch (CibRefusedException e) {
      throw new AssertionError("unexpectedly refused: " + e.getMessage(), e);
    }
  }

  static CibImport resources(String inner) {
    return configuration("<resources>" + inner + "</resources>");
  }

  /** The notes as the CLI prints them (without the command prefix). */
  static java.util.List<String> notes(CibImport i) {
    return i.notes().stream().map(ImportNote::toString).toList();
  }
}
