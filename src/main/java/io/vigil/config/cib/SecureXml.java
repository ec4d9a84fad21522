package io.vigil.config.cib;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.w3c.dom.Document;
import org.xml.sax.EntityResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * Reads untrusted XML safely: bounded size, no DOCTYPE (hence no entities, internal or external),
 * no external access, bounded nesting, and every failure as one located line.
 */
final class SecureXml {
  /** Real CIBs are well under a few MiB; Pacemaker itself refuses far smaller ones over IPC. */
  static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;
  static final int MAX_ELEMENT_DEPTH = 256;
  /**
   * The largest CIB of Pacemaker's regression corpus has about 5,400 elements; a DOM costs a few
   * hundred bytes per element, so this bounds memory (about 100 MB) for a file within the size limit.
   */
  static final int MAX_ELEMENTS = 200_000;

  private SecureXml() {}

  /** Reads at most {@code maxBytes} from {@code in} (e.g. standard input); more is refused. */
  static byte[] read(InputStream in, String source, long maxBytes) throws CibRefusedException {
    try {
      byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (data.length > maxBytes) throw tooLong(source, maxBytes);
      return data;
    } catch (IOException e) {
      throw new CibRefusedException(source + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Reads at most {@code maxBytes} of {@code file}; a larger or unreadable file is refused. */
  static byte[] read(Path file, String source, long maxBytes) throws CibRefusedException {
    try {
      if (Files.isDirectory(file)) throw new CibRefusedException(source + ": is a directory, expected a CIB XML file");
      long size = Files.size(file);
      if (size > maxBytes) throw tooLarge(source, size, maxBytes);
      try (InputStream in = Files.newInputStream(file)) {
        // Re-check while reading: the file may be a pipe or grow after the size check.
        return read(in, source, maxBytes);
      }
    } catch (NoSuchFileException e) {
      throw new CibRefusedException(source + ": no such file");
    } catch (IOException e) {
      throw new CibRefusedException(source + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static CibRefusedException tooLarge(String source, long size, long max) {
    return new CibRefusedException(source + ": file is " + size + " bytes, expected at most " + max
        + " bytes for a CIB (refusing to parse it)");
  }

  private static CibRefusedException tooLong(String source, long max) {
    return new CibRefusedException(source + ": input is longer than " + max
        + " bytes, the most accepted for a CIB (refusing to parse it)");
  }

  /** Parses {@code data} into a DOM, or refuses it with {@code source:line:column: what}. */
  static Document parse(byte[] data, String source, long maxBytes) throws CibRefusedException {
    checkSize(data, source, maxBytes);
    try {
      DocumentBuilder builder = factory().newDocumentBuilder();
      builder.setErrorHandler(THROWING);
      builder.setEntityResolver(NO_ENTITIES);
      return builder.parse(input(data, source));
    } catch (SAXException | IOException e) {
      throw refusal(source, e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser cannot be hardened", e);
    }
  }

  /** The refusal of a document the parser rejected: where (line and column when known) and why. */
  private static CibRefusedException refusal(String source, Exception e) {
    if (e instanceof SAXParseException p) {
      return new CibRefusedException(source + ":" + p.getLineNumber() + ":" + p.getColumnNumber() + ": " + explain(p.getMessage()), p);
    }
    return new CibRefusedException(source + ": not well-formed XML: " + explain(e.getMessage()), e);
  }

  /**
   * As {@link #parse}, but builds only the root element and its {@code <configuration>} and stops
   * reading there ({@link ConfigurationDom}): what follows, usually the status section, is not
   * checked for well-formedness, so the caller must read it itself (as {@code vigil simulate} does).
   */
  static Document parseConfiguration(byte[] data, String source, long maxBytes) throws CibRefusedException {
    checkSize(data, source, maxBytes);
    ConfigurationDom handler = null;
    try {
      handler = new ConfigurationDom(factory().newDocumentBuilder().newDocument());
      SAXParserFactory f = SAXParserFactory.newDefaultInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setXIncludeAware(false);
      f.setNamespaceAware(false);
      f.setValidating(false);
      SAXParser parser = f.newSAXParser();
      parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      parser.setProperty("jdk.xml.entityExpansionLimit", "1000");
      parser.setProperty("jdk.xml.maxElementDepth", String.valueOf(MAX_ELEMENT_DEPTH));
      XMLReader reader = parser.getXMLReader();
      reader.setContentHandler(handler);
      reader.setErrorHandler(THROWING);
      reader.setEntityResolver(NO_ENTITIES);
      reader.parse(input(data, source));
    } catch (ConfigurationDom.Complete done) {
      // the configuration is read; the rest is the caller's
    } catch (SAXException | IOException e) {
      throw refusal(source, e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser cannot be hardened", e);
    }
    return handler.document();
  }

  private static void checkSize(byte[] data, String source, long maxBytes) throws CibRefusedException {
    if (data.length > maxBytes) throw tooLarge(source, data.length, maxBytes);
    if (data.length == 0) throw new CibRefusedException(source + ": file is empty, expected a CIB XML document");
    int elements = countStartTags(data);
    if (elements > MAX_ELEMENTS) {
      throw new CibRefusedException(source + ": has about " + elements + " elements, expected at most " + MAX_ELEMENTS
          + " for a CIB (refusing to parse it)");
    }
  }

  private static InputSource input(byte[] data, String source) {
    InputSource in = new InputSource(new ByteArrayInputStream(data));
    in.setSystemId(source);
    return in;
  }

  private static final EntityResolver NO_ENTITIES = (publicId, systemId) -> {
    throw new SAXException("external entity '" + systemId + "' is not allowed");
  };

  /** Counts {@code <} followed by a name character: an upper bound on elements, cheap and parser-independent. */
  private static int countStartTags(byte[] data) {
    int count = 0;
    for (int i = 0; i + 1 < data.length; i++) {
      if (data[i] != '<') continue;
      int j = i + 1;
      if (data[j] == 0 && j + 1 < data.length) j++; // UTF-16: skip the zero byte of '<'
      byte next = data[j];
      if (next != '/' && next != '!' && next != '?') count++;
    }
    return count;
  }

  private static String explain(String parserMessage) {
    // The JDK prefixes limit errors with its internal code (JAXP00010006: ...); operators need only the text.
    String m = parserMessage == null ? "unreadable XML" : parserMessage.replaceFirst("^JAXP\\d+: ", "");
    if (m.contains("DOCTYPE")) {
      return "DOCTYPE declarations are not allowed (a CIB has none; they enable entity expansion and external entities)";
    }
    return m;
  }

  private static DocumentBuilderFactory factory() throws ParserConfigurationException {
    // The JDK's own parser, which the jdk.xml limits below are for; newInstance() would also search
    // every jar on the class path for another one (tens of milliseconds of a cold start).
    DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    f.setAttribute("jdk.xml.entityExpansionLimit", "1000");
    f.setAttribute("jdk.xml.maxElementDepth", String.valueOf(MAX_ELEMENT_DEPTH));
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    f.setNamespaceAware(false);
    f.setValidating(false);
    f.setIgnoringComments(true);
    f.setCoalescing(true);
    // The importer visits every element: building the tree at once is cheaper than Xerces' default
    // of expanding nodes on first access (about a third less time at 16 x 1,000, run cold).
    f.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
    return f;
  }

  private static final ErrorHandler THROWING = new ErrorHandler() {
    @Override
    public void warning(SAXParseException e) {
      // Warnings (e.g. about namespaces) do not make a CIB unreadable.
    }

    @Override
    public void error(SAXParseException e) throws SAXException {
      throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
      throw e;
    }
  };
}
